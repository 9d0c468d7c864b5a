import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { demoPassword } from './fixtures';

// The HTTP contract of the foundation, against the built server (PGlite, and PostgreSQL in CI).

async function loggedIn(request: APIRequestContext, username: string) {
	const response = await request.post('/api/auth/login', { data: { username, password: demoPassword } });
	expect(response.status()).toBe(200);
	return response;
}

test('health tells which database serves and the schema version', async ({ request }, info) => {
	const response = await request.get('/api/health');
	expect(response.status()).toBe(200);
	const body = await response.json();
	const migrations = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')).entries.length;
	expect(body).toMatchObject({ ok: true, schemaVersion: migrations });
	expect(body.db).toBe(info.project.name.endsWith('postgres') ? 'postgres' : 'pglite');
	expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});

test('login sets an HttpOnly SameSite=Lax session cookie and /me returns who and where', async ({
	request
}) => {
	const response = await loggedIn(request, 'coordinator');
	const cookie = response.headers()['set-cookie'];
	expect(cookie).toContain('gridwalk_session=');
	expect(cookie).toMatch(/HttpOnly/i);
	expect(cookie).toMatch(/SameSite=Lax/i);
	expect(cookie).not.toMatch(/Secure/i); // served over plain http here
	const me = await request.get('/api/auth/me');
	expect(me.status()).toBe(200);
	const body = await me.json();
	expect(body).toMatchObject({ username: 'coordinator', role: 'coordinator' });
	expect(Object.keys(body).sort()).toEqual(['displayName', 'id', 'role', 'scope', 'teamId', 'username']);
	expect(body.scope.all).toBe(false);
	expect(body.scope.communityIds.length).toBeGreaterThan(0);
	expect(body.scope.compoundIds.length).toBeGreaterThan(0);
	const admin = await request.post('/api/auth/login', {
		data: { username: 'admin', password: demoPassword }
	});
	expect(admin.status()).toBe(200);
	expect((await (await request.get('/api/auth/me')).json()).scope.all).toBe(true);
});

test('logout ends the session on the server: the old cookie no longer works', async ({
	request,
	playwright,
	baseURL
}) => {
	await loggedIn(request, 'volunteer');
	const state = await request.storageState();
	expect((await request.post('/api/auth/logout')).status()).toBe(200);
	const replay = await playwright.request.newContext({ baseURL, storageState: state });
	const me = await replay.get('/api/auth/me');
	expect(me.status()).toBe(401);
	await replay.dispose();
});

test('an API call without a session is 401 JSON in the caller’s language', async ({ request }) => {
	const zh = await request.get('/api/auth/me', { headers: { 'accept-language': 'zh-CN' } });
	expect(zh.status()).toBe(401);
	expect(await zh.json()).toEqual({ code: 'UNAUTHENTICATED', message: '请先登录。' });
	const en = await request.get('/api/auth/me', { headers: { 'accept-language': 'en' } });
	expect(await en.json()).toEqual({ code: 'UNAUTHENTICATED', message: 'Please log in first.' });
	const unknown = await request.get('/api/no-such-thing');
	expect(unknown.status()).toBe(401);
});

test('an unknown API path answers 404 JSON once logged in', async ({ request }) => {
	await loggedIn(request, 'leader');
	const response = await request.get('/api/no-such-thing', { headers: { 'accept-language': 'en' } });
	expect(response.status()).toBe(404);
	expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
});

test.describe('bad input never gets a 500 and never logs anyone in', () => {
	const post = (request: APIRequestContext, body: string, headers: Record<string, string> = {}) =>
		request.post('/api/auth/login', {
			// A Buffer goes out byte for byte; a string would be JSON-encoded once more.
			data: Buffer.from(body),
			headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers }
		});

	test('malformed JSON is 400 BAD_JSON', async ({ request }) => {
		const response = await post(request, '{"username": "admin", ');
		expect(response.status()).toBe(400);
		expect(await response.json()).toEqual({
			code: 'BAD_JSON',
			message: 'The request body is not valid JSON.'
		});
	});

	test('a body of the wrong shape is 400 with the failing fields', async ({ request }) => {
		const response = await post(request, JSON.stringify({ username: 42 }));
		expect(response.status()).toBe(400);
		const body = await response.json();
		expect(body.code).toBe('BAD_REQUEST');
		expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['password', 'username']);
		const zh = await post(request, JSON.stringify([]), { 'accept-language': 'zh-CN' });
		expect((await zh.json()).message).toContain('请求内容有误');
	});

	test('a body over 1 MB is 413', async ({ request }) => {
		const huge = JSON.stringify({ username: 'admin', password: 'x'.repeat(1024 * 1024 + 10) });
		const response = await post(request, huge);
		expect(response.status()).toBe(413);
		expect(await response.json()).toMatchObject({ code: 'TOO_LARGE' });
	});

	test('a cross-site POST is refused with 403', async ({ request, baseURL }) => {
		const response = await post(request, JSON.stringify({ username: 'admin', password: demoPassword }), {
			origin: 'https://evil.example'
		});
		expect(response.status()).toBe(403);
		expect(await response.json()).toMatchObject({ code: 'CROSS_SITE' });
		const sameSite = await post(request, JSON.stringify({ username: 'admin', password: demoPassword }), {
			origin: baseURL!
		});
		expect(sameSite.status()).toBe(200);
		// The login page's form too (the app's guard does this check, not SvelteKit's: see svelte.config.js).
		const form = await request.post('/login', {
			form: { username: 'admin', password: demoPassword },
			headers: { origin: 'https://evil.example' }
		});
		expect(form.status()).toBe(403);
	});
});

test('repeated wrong passwords are throttled with 429 and Retry-After, even for the right password', async ({
	request
}, info) => {
	const username = `guesser-${info.project.name}-${info.retry}`;
	for (let i = 0; i < 5; i++) {
		const response = await request.post('/api/auth/login', {
			data: { username, password: `guess-${i}` }
		});
		expect(response.status()).toBe(401);
	}
	const blocked = await request.post('/api/auth/login', {
		data: { username, password: 'guess-final' },
		headers: { 'accept-language': 'en' }
	});
	expect(blocked.status()).toBe(429);
	const retryAfter = Number(blocked.headers()['retry-after']);
	expect(retryAfter).toBeGreaterThan(0);
	const body = await blocked.json();
	expect(body.code).toBe('THROTTLED');
	expect(body.message).toContain(String(retryAfter));
});

test('pages carry a CSP without unsafe-inline scripts and the basic security headers', async ({
	request
}) => {
	const response = await request.get('/login');
	expect(response.status()).toBe(200);
	const headers = response.headers();
	const csp = headers['content-security-policy'];
	expect(csp).toContain("default-src 'self'");
	expect(csp).toMatch(/script-src 'self'[^;]*'(nonce|sha256)-/);
	expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
	expect(headers['x-request-id']).toBeTruthy();
});
