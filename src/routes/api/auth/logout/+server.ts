import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { revokeSession, sessionCookie } from '$lib/server/auth/session';
import { endpoint } from '$lib/server/endpoint';

export const POST = endpoint(async ({ locals, cookies }) => {
	if (locals.sessionId) {
		const { database } = await getApp();
		await revokeSession(database.db, locals.sessionId);
	}
	cookies.delete(sessionCookie, { path: '/' });
	return json({ ok: true });
});
