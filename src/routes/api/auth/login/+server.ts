import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import { sessionCookie } from '$lib/server/auth/session';
import { sessionCookieOptions } from '$lib/server/auth/cookie';
import { login } from '$lib/server/auth/login';
import { endpoint } from '$lib/server/endpoint';
import { readJson } from '$lib/server/http';

const loginBody = z.object({
	username: z.string().trim().min(1).max(100),
	password: z.string().min(1).max(200)
});

/** Auth bodies are tiny; anything over 1 MB is refused before it is read. */
const authBodyLimit = 1024 * 1024;

export const POST = endpoint(async (event) => {
	const body = await readJson(event.request, loginBody, authBodyLimit);
	const { database, config } = await getApp();
	const session = await login(
		database.db,
		{
			...body,
			ip: event.getClientAddress(),
			userAgent: event.request.headers.get('user-agent')
		},
		{ lifetimeMs: config.sessionDays * 86_400_000, throttle: config.throttle }
	);
	event.cookies.set(sessionCookie, session.token, sessionCookieOptions(event.url, config, session.expiresAt));
	return json({ ok: true, expiresAt: session.expiresAt.toISOString() });
});
