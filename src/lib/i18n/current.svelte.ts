import { page } from '$app/state';
import { defaultLocale, isLocale, t, type Locale, type MessageKey } from './index';

/** The language of the page being shown (from the layout's data). */
export function currentLocale(): Locale {
	const locale = page.data.locale;
	return isLocale(locale) ? locale : defaultLocale;
}

/** A message in the page's language. Reactive inside components: it reads `page.data`. */
export const tr = (key: MessageKey, params?: Record<string, string | number>) =>
	t(currentLocale(), key, params);
