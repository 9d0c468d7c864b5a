import type { SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			code: string;
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			sessionId: string | null;
			requestId: string;
			locale: import('$lib/i18n').Locale;
		}
		interface PageState {
			/** /observe: the step shown, and how many steps the form pushed onto the history to reach it. */
			observeStep?: 'subtype' | 'details';
			observeDepth?: number;
		}
	}
}

export {};
