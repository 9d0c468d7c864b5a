import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditPage } from '$lib/domain';
import type { Database } from '$lib/server/db';
import * as t from '$lib/server/db/schema';
import { databaseKinds, type TestDatabase } from './databases';
import { seedDistrict, type District } from './sync-fixtures';

const serving: { database: Database | null } = { database: null };
vi.mock('$lib/server/app', () => ({
	getApp: async () => ({ database: serving.database, config: { timeZone: 'Asia/Shanghai' } })
}));
const { GET } = await import('../../src/routes/api/audit/+server');

/**
 * `GET /api/audit`: admins only, newest first, keyset pages that neither skip nor repeat an entry
 * (entries sharing one instant included), and every filter. On PGlite and PostgreSQL.
 */
describe.each(databaseKinds)('audit log on $kind', ({ open }) => {
	let database: TestDatabase;
	let d: District;
	const ask = async (who: 'admin' | 'coordinator', query: string, locale: 'zh-CN' | 'en' = 'en') => {
		const user = { ...d.users[who], scope: d.actors[who].scope };
		const response = await (GET as (event: unknown) => Promise<Response>)({
			locals: { user, locale, requestId: 'req-audit' },
			url: new URL(`http://local/api/audit?${query}`)
		});
		return { status: response.status, body: await response.json() };
	};

	beforeAll(async () => {
		database = await open();
		serving.database = database;
		d = await seedDistrict(database.db);
		const row = (at: string, who: 'leader' | 'volunteer', action: string, recordId: string) => ({
			at: new Date(at),
			userId: d.users[who].id,
			clientId: `client-${who}`,
			action,
			collection: action.split('.')[0],
			recordId,
			changes: { note: `${action} ${recordId}`, resident: { phone: '138****5678' } }
		});
		await database.db.insert(t.auditLog).values([
			// 2030-03-01 in Shanghai starts at 2030-02-28T16:00Z.
			row('2030-02-28T15:59:59.000Z', 'leader', 'feedback.create', 'f-0'),
			row('2030-03-01T01:00:00.000Z', 'leader', 'feedback.create', 'f-1'),
			row('2030-03-01T01:00:00.000Z', 'leader', 'feedback.update', 'f-1'),
			row('2030-03-01T01:00:00.000Z', 'volunteer', 'observation.create', 'o-1'),
			row('2030-03-02T01:00:00.000Z', 'volunteer', 'observation.update', 'o-1'),
			row('2030-03-03T01:00:00.000Z', 'leader', 'case.transition', 'c-1'),
			row('2030-03-04T01:00:00.000Z', 'volunteer', 'observation.delete', 'o-1')
		]);
	});
	afterAll(async () => {
		serving.database = null;
		await database.drop();
	});

	it('refuses anyone but an admin with 403', async () => {
		const answer = await ask('coordinator', '');
		expect(answer.status).toBe(403);
		expect(answer.body.code).toBe('FORBIDDEN');
	});

	it('pages newest first through every entry exactly once, three at a time', async () => {
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const answer = await ask('admin', `limit=3${cursor ? `&cursor=${cursor}` : ''}`);
			expect(answer.status).toBe(200);
			const page = answer.body as AuditPage;
			expect(page.entries.length).toBeLessThanOrEqual(3);
			seen.push(...page.entries.map((e) => `${e.action} ${e.recordId}`));
			cursor = page.next;
			pages++;
		} while (cursor && pages < 10);
		expect(pages).toBe(3);
		expect(seen).toHaveLength(7);
		expect(new Set(seen).size).toBe(7);
		expect(seen[0]).toBe('observation.delete o-1');
		expect(seen.at(-1)).toBe('feedback.create f-0');
	});

	it('says who, from which device and what changed, phones masked', async () => {
		const { body } = await ask('admin', 'limit=1');
		const [entry] = (body as AuditPage).entries;
		expect(entry.user?.username).toBe(d.users.volunteer.username);
		expect(entry.clientId).toBe('client-volunteer');
		expect(entry.at).toBe('2030-03-04T01:00:00.000Z');
		expect(entry.changes).toEqual({ note: 'observation.delete o-1', resident: { phone: '138****5678' } });
	});

	it('filters by person, record, action (exact or by prefix) and local dates', async () => {
		const actions = async (query: string) =>
			((await ask('admin', query)).body as AuditPage).entries.map((e) => `${e.action} ${e.recordId}`);
		expect(await actions(`user=${d.users.leader.username}`)).toEqual([
			'case.transition c-1',
			expect.stringMatching(/^feedback\.(create|update) f-1$/),
			expect.stringMatching(/^feedback\.(create|update) f-1$/),
			'feedback.create f-0'
		]);
		expect(await actions('collection=observation&recordId=o-1')).toEqual([
			'observation.delete o-1',
			'observation.update o-1',
			'observation.create o-1'
		]);
		expect(await actions('action=feedback.update')).toEqual(['feedback.update f-1']);
		expect(await actions('action=observation.')).toHaveLength(3);
		expect(await actions('from=2030-03-01&to=2030-03-02')).toHaveLength(4);
		expect(await actions('user=nobody-at-all')).toEqual([]);
	});

	it('answers a malformed query with 400 in the person language', async () => {
		const bad = await ask('admin', 'from=2030-13&cursor=zzz', 'zh-CN');
		expect(bad.status).toBe(400);
		expect(bad.body.code).toBe('BAD_REQUEST');
		expect(bad.body.message).toMatch(/from/);
		expect(bad.body.message).toMatch(/cursor/);
		const reversed = await ask('admin', 'from=2030-03-05&to=2030-03-01');
		expect(reversed.status).toBe(400);
	});
});
