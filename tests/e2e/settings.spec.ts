import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { v7 as uuidv7 } from 'uuid';
import { expect, logIn, screenshots, test } from './fixtures';

interface Person {
	id: string;
	scope: { compoundIds: string[] };
}

const texts = {
	'zh-CN': {
		settings: '设置',
		role: '志愿者',
		sync: '同步详情',
		storage: '本机存储',
		export: '导出未同步数据',
		import: '导入文件',
		imported: '已恢复 1 条更改，跳过 0 条；恢复了 1 条需处理的更改和 1 张照片。',
		importedAgain: '已恢复 0 条更改，跳过 1 条；恢复了 0 条需处理的更改和 0 张照片。',
		alreadyQueued: '这条更改已在本机等待同步。',
		anotherPerson: '这个文件属于另一个账号，只能由导出它的人导入。',
		exported: '已导出 1 条待同步更改、1 条需处理的更改和 1 张照片。',
		refused: '新建居民反馈',
		dismiss: '移除',
		noneRefused: '没有被服务器退回的更改。',
		logout: '退出登录',
		warning: '本机有 1 条更改尚未同步。退出后它仍保存在本机，下次登录时会继续同步。',
		cancel: '取消',
		pending: '1 条待同步'
	},
	en: {
		settings: 'Settings',
		role: 'Volunteer',
		sync: 'Sync details',
		storage: 'Storage on this device',
		export: 'Export unsynced data',
		import: 'Import a file',
		imported: 'Changes brought back: 1; skipped: 0. Refused changes restored: 1; photos: 1.',
		importedAgain: 'Changes brought back: 0; skipped: 1. Refused changes restored: 0; photos: 0.',
		alreadyQueued: 'This change is already waiting to sync on this device.',
		anotherPerson: 'This file belongs to another account: only the person who exported it can import it.',
		exported: 'Exported changes waiting to sync: 1; refused changes: 1; photos: 1.',
		refused: 'New resident feedback',
		dismiss: 'Dismiss',
		noneRefused: 'No changes were refused by the server.',
		logout: 'Log out',
		warning:
			'1 change on this device has not synced yet. If you log out it stays on this device and syncs when you log in again.',
		cancel: 'Cancel',
		pending: '1 waiting to sync'
	}
};

/** Logs in, opens /settings from the home page and waits for the first sync (it makes the client id). */
async function openSettings(page: Page, language: keyof typeof texts) {
	await logIn(page, 'volunteer');
	await expect(page).toHaveURL(/\/$/);
	await page.getByRole('link', { name: texts[language].settings }).click();
	await expect(page).toHaveURL(/\/settings$/);
	await expect(page.locator('.client-id')).toHaveText(/^[A-Za-z0-9_-]{22}$/);
	return (await (await page.request.get('/api/auth/me')).json()) as Person;
}

/** A real JPEG, drawn by the browser, so the server would take the photo if the change synced. */
async function jpegFrom(page: Page): Promise<{ bytes: Buffer; width: number; height: number }> {
	const dataUrl = await page.evaluate(() => {
		const canvas = Object.assign(document.createElement('canvas'), { width: 32, height: 24 });
		const context = canvas.getContext('2d')!;
		context.fillStyle = '#0f766e';
		context.fillRect(0, 0, 32, 24);
		return canvas.toDataURL('image/jpeg', 0.8);
	});
	return { bytes: Buffer.from(dataUrl.split(',')[1], 'base64'), width: 32, height: 24 };
}

/**
 * A file as the app exports it (transfer.ts, format 1), with one observation waiting to sync, one
 * refused feedback and the observation's photo, for `person`.
 */
function unsyncedFile(person: Person, photo: { bytes: Buffer; width: number; height: number }) {
	const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
	const ref = {
		sha256,
		mime: 'image/jpeg',
		bytes: photo.bytes.length,
		width: photo.width,
		height: photo.height
	};
	const compoundId = person.scope.compoundIds[0];
	const observation = {
		id: uuidv7(),
		category: 'parking',
		subtype: 'parking.fire_lane_blocked',
		severity: 'medium',
		location: { lat: 33.6351, lng: 116.9852, accuracy: 8 },
		compoundId,
		note: '消防通道被电动车堵住',
		photos: [ref],
		observedAt: '2026-03-02T09:00:00.000Z',
		resolvedOnSpot: false,
		by: person.id
	};
	const feedback = {
		id: uuidv7(),
		kind: 'complaint',
		topic: 'parking',
		channel: 'in_person',
		text: '楼下电动车太多',
		consentToContact: false,
		compoundId,
		receivedAt: '2026-03-01T08:00:00.000Z',
		by: person.id
	};
	const content = {
		exportedAt: '2026-03-02T10:00:00.000Z',
		personId: person.id,
		clientGroupId: 'AAAAAAAAAAAAAAAAAAAAAA',
		clientId: 'BBBBBBBBBBBBBBBBBBBBBB',
		pending: [
			{
				id: 7,
				name: 'observation.create',
				args: observation,
				clientTime: '2026-03-02T09:00:00.000Z',
				collection: 'observation',
				recordId: observation.id
			}
		],
		records: [{ collection: 'observation', id: observation.id, record: observation }],
		needsAttention: [
			{
				mutation: { id: 5, name: 'feedback.create', args: feedback, clientTime: '2026-03-01T08:00:00.000Z' },
				collection: 'feedback',
				recordId: feedback.id,
				code: 'FORBIDDEN',
				message: 'volunteer may not record feedback here',
				at: '2026-03-01T08:01:00.000Z'
			}
		],
		photos: [{ ...ref, data: photo.bytes.toString('base64') }]
	};
	const digest = createHash('sha256').update(JSON.stringify(content)).digest('hex');
	const text = JSON.stringify({ format: 'gridwalk-unsynced', formatVersion: 1, digest, content });
	return { text, observation, photo: ref };
}

async function importFile(page: Page, language: keyof typeof texts, text: string) {
	await page.getByLabel(texts[language].import).setInputFiles({
		name: 'gridwalk-unsynced-2026-03-02.json',
		mimeType: 'application/json',
		buffer: Buffer.from(text)
	});
}

for (const [language, locale] of [
	['zh-CN', 'zh-CN'],
	['en', 'en-GB']
] as const) {
	const t = texts[language];

	test.describe(`settings in ${language}`, () => {
		test.use({ locale });

		test('a volunteer sees their account, the storage figures and the sync details', async ({ page }) => {
			await openSettings(page, language);

			await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.settings);
			await expect(page.getByText('@volunteer')).toBeVisible();
			await expect(page.locator('[data-role=volunteer]')).toHaveText(t.role);
			const storage = page.getByRole('region', { name: t.storage });
			await expect(storage.locator('.used')).toHaveText(/^[\d.,]+ (B|KB|MB|GB) (\/|of) [\d.,]+ (KB|MB|GB)$/);
			await expect(storage.locator('.persisted')).not.toBeEmpty();
			const sync = page.getByRole('region', { name: t.sync });
			await expect(sync.locator('.client-group-id')).toHaveText(/^[A-Za-z0-9_-]{22}$/);
			await expect(sync.locator('.cursor')).toHaveText(/^\d+$/);
			await expect(sync.locator('.pending')).toHaveText('0');
			await expect(page.locator('html')).toHaveAttribute('lang', language);
		});

		test.describe(() => {
			// While offline the sync runner's requests fail, and Chromium logs each failure as an error; back
			// online it asks whether the server has the photo (HEAD), and "not yet" is a 404.
			test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/, expectedHttpErrors: [404] });

			test('unsynced changes come back from a file, are exported again, and make log out warn', async ({
				page,
				context
			}) => {
				const person = await openSettings(page, language);
				// /observe is not built yet and a test cannot call into the app's modules, so the change is put
				// on the device through the app's own import, which records it with recordMutation like a form
				// would. Offline, so it stays unsynced.
				const prepared = unsyncedFile(person, await jpegFrom(page));
				await context.setOffline(true);

				await importFile(page, language, prepared.text);
				await expect(page.getByRole('status').filter({ hasText: t.imported })).toBeVisible();
				await expect(page.locator('.pending')).toHaveText('1');
				await expect(page.getByText(t.pending)).toBeVisible();

				const attention = page.locator('#needs-attention');
				await expect(attention.getByRole('heading', { name: t.refused })).toBeVisible();
				await expect(attention.getByText('volunteer may not record feedback here')).toBeVisible();

				const downloading = page.waitForEvent('download');
				await page.getByRole('button', { name: t.export }).click();
				const download = await downloading;
				expect(download.suggestedFilename()).toMatch(/^gridwalk-unsynced-\d{4}-\d{2}-\d{2}\.json$/);
				const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
				expect(exported).toMatchObject({ format: 'gridwalk-unsynced', formatVersion: 1 });
				expect(exported.content.personId).toBe(person.id);
				expect(exported.content.pending).toEqual([
					expect.objectContaining({ name: 'observation.create', args: prepared.observation })
				]);
				expect(exported.content.records[0].record).toEqual(prepared.observation);
				expect(exported.content.photos).toEqual([
					{ ...prepared.photo, data: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) }
				]);
				await expect(page.getByRole('status').filter({ hasText: t.exported })).toBeVisible();

				await importFile(page, language, prepared.text);
				await expect(page.getByRole('status').filter({ hasText: t.importedAgain })).toBeVisible();
				await expect(page.getByText(t.alreadyQueued)).toBeVisible();
				await importFile(
					page,
					language,
					unsyncedFile({ ...person, id: uuidv7() }, await jpegFrom(page)).text
				);
				await expect(page.getByRole('alert').filter({ hasText: t.anotherPerson })).toBeVisible();

				await page.getByRole('button', { name: t.logout }).click();
				await expect(page.getByRole('alert').filter({ hasText: t.warning })).toBeVisible();
				await page.getByRole('button', { name: t.cancel }).click();
				await expect(page.getByText(t.warning)).toHaveCount(0);

				await attention.getByRole('button', { name: t.dismiss }).click();
				await expect(attention.getByText(t.noneRefused)).toBeVisible();

				// Back online the change syncs (the server takes it, photo first); then log out asks nothing.
				await context.setOffline(false);
				await expect(page.locator('.pending')).toHaveText('0', { timeout: 15_000 });
				await expect(attention.getByText(t.noneRefused)).toBeVisible();
				await page.getByRole('button', { name: t.logout }).click();
				await expect(page).toHaveURL(/\/login/);
				expect((await page.request.get('/api/auth/me')).status()).toBe(401);
			});
		});
	});
}

test.describe('screenshots', () => {
	test.use({ locale: 'zh-CN', expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

	test('of /settings on a phone and a laptop, in both languages', screenshots, async ({ page, context }) => {
		const person = await openSettings(page, 'zh-CN');
		await context.setOffline(true);
		await importFile(page, 'zh-CN', unsyncedFile(person, await jpegFrom(page)).text);
		await expect(page.locator('.pending')).toHaveText('1');
		for (const language of ['zh-CN', 'en'] as const) {
			await page.getByRole('button', { name: language === 'en' ? 'English' : '中文' }).click();
			await expect(page.locator('html')).toHaveAttribute('lang', language);
			for (const [width, height] of [
				[360, 640],
				[1366, 800]
			]) {
				await page.setViewportSize({ width, height });
				await page.screenshot({
					path: `test-results/settings-${language}-${width}x${height}.png`,
					fullPage: true
				});
			}
		}
	});
});
