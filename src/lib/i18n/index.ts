import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';
export type { MessageKey };

export const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** A message in the given language, with `{name}` placeholders filled. */
export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
	const text = catalogs[locale][key] ?? catalogs[defaultLocale][key] ?? key;
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The person's language: their saved choice first, else the browser's preference, else zh-CN. */
export function pickLocale(
	saved: string | null | undefined,
	acceptLanguage: string | null | undefined
): Locale {
	if (isLocale(saved)) return saved;
	const wanted = (acceptLanguage ?? '')
		.split(',')
		.map((part) => {
			const [tag, q] = part.trim().split(';q=');
			return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
		})
		.filter((p) => p.tag && p.q > 0)
		.sort((a, b) => b.q - a.q);
	for (const { tag } of wanted) {
		if (tag.startsWith('zh')) return 'zh-CN';
		if (tag.startsWith('en')) return 'en';
	}
	return defaultLocale;
}
