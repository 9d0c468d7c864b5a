import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs, locales, t } from '$lib/i18n';
import {
	clientErrorMessage,
	clientErrorMessageKey,
	LocalRefusal,
	localRefusalCodes,
	syncFailureCodes
} from './refusal';

const clientDir = path.resolve('src/lib/client');

/** The device's own code, tests and test doubles left out. */
function clientSources(dir = clientDir): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'testing' ? [] : clientSources(file);
		return /\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name) ? [file] : [];
	});
}

/** Every code the device's code gives a refusal or a failure, as written in it. */
function codesWritten(): Map<string, string> {
	const patterns = [
		/new LocalRefusal\(\s*'([A-Z_]+)'/g,
		/new SyncFailure\(\s*'([A-Z_]+)'/g,
		/\brefuse\(\s*'([A-Z_]+)'/g,
		/\bcode:\s*'([A-Z_]+)'/g,
		/\.code === '([A-Z_]+)'/g
	];
	const found = new Map<string, string>();
	for (const file of clientSources()) {
		const text = readFileSync(file, 'utf8');
		for (const pattern of patterns) {
			for (const match of text.matchAll(pattern)) found.set(match[1], path.relative(clientDir, file));
		}
	}
	return found;
}

const allCodes = [...localRefusalCodes, ...syncFailureCodes];

describe('the device’s refusal and sync failure codes', () => {
	it('are all listed, so none reaches a person without a message', () => {
		const written = codesWritten();
		expect(written.size).toBeGreaterThan(10);
		const unlisted = [...written].filter(([code]) => !(allCodes as string[]).includes(code));
		expect(unlisted).toEqual([]);
	});

	it.each(allCodes)('%s has a message in zh-CN and in English', (code) => {
		const key = clientErrorMessageKey(code);
		expect(key).not.toBeNull();
		const zh = t('zh-CN', key!, { details: 'note', limit: '2 MB', field: 'note', status: 503 });
		const en = t('en', key!, { details: 'note', limit: '2 MB', field: 'note', status: 503 });
		expect(zh).toMatch(/[\u4e00-\u9fff]/);
		expect(en).not.toMatch(/[\u4e00-\u9fff]/);
		expect(en).toMatch(/[a-z]{3}/);
		for (const text of [zh, en]) expect(text).not.toMatch(/\{\w+\}/);
		expect(catalogs.en[key!]).not.toBe(key);
	});

	it('gives a server answer without a code its status, in both languages', () => {
		expect(clientErrorMessageKey('HTTP_502')).toBe('syncClient.serverError');
		expect(clientErrorMessage('zh-CN', { code: 'HTTP_502', message: 'The server answered 502.' })).toBe(
			'服务器暂时出错（502），稍后会自动重试。您的更改已保存在本机。'
		);
		expect(clientErrorMessage('en', { code: 'HTTP_502', message: 'The server answered 502.' })).toMatch(
			/^The server ran into a problem \(502\)/
		);
	});

	it('keeps the message the server wrote for its own codes, already in the person’s language', () => {
		expect(clientErrorMessageKey('CLIENT_TAKEN')).toBeNull();
		const fromServer = { code: 'CLIENT_TAKEN', message: '本机上的应用已登记给另一个账号。' };
		expect(clientErrorMessage('en', fromServer)).toBe(fromServer.message);
	});

	it('fills in what the refusal knows: the fields at fault, a case field by its name, the size limit', () => {
		const invalid = new LocalRefusal('VALIDATION', 'severity: Invalid option', [
			{ path: 'severity', message: 'Invalid option' },
			{ path: 'location.lat', message: 'Too big' }
		]);
		expect(clientErrorMessage('en', invalid)).toBe('Some entries are not right: severity, location.lat');
		expect(clientErrorMessage('zh-CN', invalid)).toBe('有内容填写不正确：severity, location.lat');

		const missing = new LocalRefusal('MISSING_FIELD', 'resolution is needed', [], { field: 'resolution' });
		expect(clientErrorMessage('zh-CN', missing)).toBe('这一步还需要填写：处理结果');
		expect(clientErrorMessage('en', missing)).toBe('This step needs the resolution.');

		const large = new LocalRefusal('TOO_LARGE', 'too large', [], { limit: '2044 KB' });
		expect(clientErrorMessage('en', large)).toContain('(limit 2044 KB)');
	});

	it('are messages for every language the app has', () => {
		for (const locale of locales) {
			for (const code of allCodes) expect(catalogs[locale][clientErrorMessageKey(code)!]).toBeTruthy();
		}
	});
});
