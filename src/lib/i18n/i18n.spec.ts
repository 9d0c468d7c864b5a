import { describe, expect, it } from 'vitest';
import { catalogs, defaultLocale, isLocale, locales, pickLocale, t, type MessageKey } from './index';

const keys = Object.keys(catalogs['zh-CN']) as MessageKey[];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
	it('have the same keys in every language', () => {
		expect(keys.length).toBeGreaterThan(0);
		for (const locale of locales) expect(Object.keys(catalogs[locale]).sort()).toEqual([...keys].sort());
	});

	it.each(locales)('%s has a non-empty text for every key', (locale) => {
		const empty = keys.filter(
			(key) => typeof catalogs[locale][key] !== 'string' || !catalogs[locale][key].trim()
		);
		expect(empty).toEqual([]);
	});

	it('uses the same placeholders in both languages for every key', () => {
		const mismatched = keys.filter(
			(key) => placeholders(catalogs['zh-CN'][key]).join() !== placeholders(catalogs.en[key]).join()
		);
		expect(mismatched).toEqual([]);
	});

	it('is really translated: the English texts are not the Chinese ones', () => {
		const untranslated = keys.filter((key) => /[\u4e00-\u9fff]/.test(catalogs.en[key]));
		expect(untranslated).toEqual([]);
	});
});

describe('t', () => {
	it('gives the text in the language asked for', () => {
		expect(t('zh-CN', 'login.title')).toBe('登录');
		expect(t('en', 'login.title')).toBe('Log in');
	});

	it('fills placeholders, numbers included', () => {
		expect(t('en', 'home.greeting', { name: 'Wang Fang' })).toBe('Hello, Wang Fang');
		expect(t('zh-CN', 'home.greeting', { name: '王芳' })).toBe('您好，王芳');
		expect(t('en', 'error.throttled', { seconds: 42 })).toBe(
			'Too many attempts. Please try again in 42 seconds.'
		);
		expect(t('en', 'home.scope', { communities: 3, compounds: 12, grids: 20 })).toBe(
			'Communities 3 · compounds 12 · grids 20'
		);
		expect(t('zh-CN', 'home.scope', { communities: 3, compounds: 12, grids: 20 })).toBe(
			'3 个社区 · 12 个小区 · 20 个网格'
		);
	});

	it('leaves a placeholder visible when no value is given for it, rather than printing "undefined"', () => {
		expect(t('en', 'home.greeting')).toBe('Hello, {name}');
		expect(t('en', 'home.greeting', { other: 'x' })).toBe('Hello, {name}');
	});

	it('does not read placeholders out of the values it fills in', () => {
		expect(t('en', 'home.greeting', { name: '{name}' })).toBe('Hello, {name}');
		expect(t('en', 'error.badRequest', { details: 'limit {limit}', limit: 5 })).toBe(
			'The request is not right: limit {limit}'
		);
	});

	it('fills every placeholder of every message in both languages', () => {
		for (const locale of locales) {
			for (const key of keys) {
				const params = Object.fromEntries(placeholders(catalogs[locale][key]).map((name) => [name, 'X']));
				expect(t(locale, key, params)).not.toMatch(/\{\w+\}/);
			}
		}
	});
});

describe('pickLocale', () => {
	it('honours the saved choice over the browser', () => {
		expect(pickLocale('en', 'zh-CN,zh;q=0.9')).toBe('en');
		expect(pickLocale('zh-CN', 'en-US,en;q=0.9')).toBe('zh-CN');
	});

	it('ignores a saved value that is not a language it has', () => {
		expect(pickLocale('fr', 'en-US')).toBe('en');
		expect(pickLocale('EN', null)).toBe(defaultLocale);
		expect(pickLocale('', 'en')).toBe('en');
	});

	it('maps any Chinese to zh-CN and any English to en', () => {
		expect(pickLocale(undefined, 'zh-TW')).toBe('zh-CN');
		expect(pickLocale(undefined, 'zh-Hant-HK')).toBe('zh-CN');
		expect(pickLocale(undefined, 'zh')).toBe('zh-CN');
		expect(pickLocale(undefined, 'en-US')).toBe('en');
		expect(pickLocale(undefined, 'en-GB')).toBe('en');
		expect(pickLocale(undefined, 'EN')).toBe('en');
	});

	it('follows q-values, not the order written', () => {
		expect(pickLocale(undefined, 'zh-CN;q=0.5, en-US;q=0.9')).toBe('en');
		expect(pickLocale(undefined, 'en;q=0.3,zh-TW;q=0.8')).toBe('zh-CN');
		expect(pickLocale(undefined, 'en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
	});

	it('skips languages it does not have and takes the next one the browser accepts', () => {
		expect(pickLocale(undefined, 'fr-FR,fr;q=0.9,en;q=0.8,zh;q=0.7')).toBe('en');
		expect(pickLocale(undefined, 'ja, zh-TW;q=0.5')).toBe('zh-CN');
	});

	it('falls back to zh-CN', () => {
		expect(pickLocale(undefined, undefined)).toBe('zh-CN');
		expect(pickLocale(null, null)).toBe('zh-CN');
		expect(pickLocale(undefined, '')).toBe('zh-CN');
		expect(pickLocale(undefined, 'fr-FR,de;q=0.8')).toBe('zh-CN');
		expect(pickLocale(undefined, '*')).toBe('zh-CN');
		expect(pickLocale(undefined, 'garbage;;;q=x')).toBe('zh-CN');
	});

	it('only accepts its own locale names as saved choices', () => {
		expect(locales.every(isLocale)).toBe(true);
		expect(isLocale('zh-TW')).toBe(false);
		expect(isLocale(undefined)).toBe(false);
	});
});
