import type { HandleClientError } from '@sveltejs/kit';
import { deviceLocale } from '$lib/client/session';
import { t } from '$lib/i18n';

/**
 * Errors met while the browser renders a page. Offline, a page that needs the server (logging in) is an
 * expected outcome, not a fault: it gets a plain message and no console noise; so does an address that is
 * not a page. Anything else is logged for whoever looks at the console.
 */
export const handleError: HandleClientError = ({ error, status }) => {
	const locale = deviceLocale();
	if (!navigator.onLine) return { code: 'OFFLINE', message: t(locale, 'error.offline.page') };
	if (status === 404) return { code: 'NOT_FOUND', message: t(locale, 'error.notFound') };
	console.error(error);
	return { code: 'INTERNAL', message: t(locale, 'error.internal') };
};
