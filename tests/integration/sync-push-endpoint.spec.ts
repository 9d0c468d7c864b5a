import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '$lib/i18n';
import { getApp, startApp } from '$lib/server/app';
import type { SessionUser } from '$lib/server/auth/session';
import type { Db } from '$lib/server/db';
import { maxPushBytes } from '$lib/sync/protocol';
import { POST } from '../../src/routes/api/sync/push/+server';
import { create, device, observationIn, seedDistrict, type District } from './sync-fixtures';

/**
 * The HTTP face of the push: status codes and bodies of DESIGN.md §3. The engine behind it runs on
 * both databases in the other sync-push suites; this one runs the endpoint on the app's own PGlite.
 */
describe('POST /api/sync/push', () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'gridwalk-push-endpoint-'));
	let d: District;
	let db: Db;
	let user: SessionUser;
	beforeAll(async () => {
		const app = await startApp({ DATA_DIR: dataDir, GRIDWALK_DEMO: '0', ADMIN_PASSWORD: 'first-admin-pass' });
		db = app.database.db;
		d = await seedDistrict(db);
		user = { ...d.users.volunteer, scope: d.actors.volunteer.scope };
	});
	afterAll(async () => {
		await (await getApp()).database.close();
		rmSync(dataDir, { recursive: true, force: true });
	});

	async function post(body: unknown, options: { as?: SessionUser | null; locale?: Locale } = {}) {
		const request = new Request('http://localhost/api/sync/push', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});
		const locals = {
			user: options.as === undefined ? user : options.as,
			sessionId: null,
			requestId: 'req-endpoint',
			locale: options.locale ?? 'en'
		};
		const response = await POST({ request, locals } as unknown as RequestEvent);
		return { status: response.status, headers: response.headers, body: await response.json() };
	}

	const phone = () => device(db, d.actors.volunteer);

	it('answers 200 with the last mutation id and a result per mutation, never cached', async () => {
		const app = phone();
		const response = await post(
			app.batch([create('observation', observationIn(d, { resolvedOnSpot: true }))])
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(response.body).toEqual({
			lastMutationId: 1,
			results: [{ id: 1, status: 'applied', version: expect.any(Number) }]
		});
	});

	it('answers 400 with the failing paths for a malformed body, and BAD_JSON for what is not JSON', async () => {
		const body = phone().batch([create('observation', observationIn(d))]);
		const broken = { ...body, clientId: 'x', mutations: [{ ...body.mutations[0], id: -1 }] };
		const response = await post(broken);
		expect(response.status).toBe(400);
		expect(response.body.code).toBe('BAD_REQUEST');
		expect(response.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
			'clientId',
			'mutations.0.id'
		]);
		const notJson = await post('{"protocolVersion": 1,');
		expect(notJson).toMatchObject({ status: 400, body: { code: 'BAD_JSON' } });
	});

	it('answers 413 for more than 500 mutations and for more than 2 MB', async () => {
		const many = phone().batch(Array.from({ length: 501 }, () => create('observation', observationIn(d))));
		const tooMany = await post(many);
		expect(tooMany).toMatchObject({ status: 413, body: { code: 'TOO_LARGE' } });
		expect(tooMany.body.message).toContain('500');
		const huge = phone().batch([create('observation', observationIn(d, { note: 'x'.repeat(maxPushBytes) }))]);
		expect(await post(huge)).toMatchObject({ status: 413, body: { code: 'TOO_LARGE' } });
	});

	it('answers 409 VERSION_NOT_SUPPORTED and 409 MUTATION_GAP with the id expected', async () => {
		const app = phone();
		const body = app.batch([create('observation', observationIn(d))]);
		expect(await post({ ...body, protocolVersion: 0 }, { locale: 'zh-CN' })).toMatchObject({
			status: 409,
			body: {
				error: 'VERSION_NOT_SUPPORTED',
				code: 'VERSION_NOT_SUPPORTED',
				message: expect.stringMatching(/更新/)
			}
		});
		const gap = await post({ ...body, mutations: [{ ...body.mutations[0], id: 7 }] });
		expect(gap).toMatchObject({
			status: 409,
			body: { error: 'MUTATION_GAP', code: 'MUTATION_GAP', expected: 1 }
		});
	});

	it('answers 403 for a client id registered to someone else, and 401 without a session', async () => {
		const app = phone();
		await post(app.batch([create('observation', observationIn(d, { resolvedOnSpot: true }))]));
		const other: SessionUser = { ...d.users.leader, scope: d.actors.leader.scope };
		const taken = await post(app.batch([create('observation', observationIn(d))]), { as: other });
		expect(taken).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
		const anonymous = await post(app.batch([]), { as: null });
		expect(anonymous).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
	});
});
