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
	}
}

export {};
