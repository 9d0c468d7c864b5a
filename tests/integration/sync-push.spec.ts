import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import {
	auditLog,
	cases,
	feedback,
	observations,
	syncClients,
	syncCounter,
	syncRejections
} from '$lib/server/db/schema';
import { purgeRejections } from '$lib/server/sync/rejections';
import { pushBody } from '$lib/server/sync/push';
import { maxMutationsPerPush, schemaVersion } from '$lib/sync/protocol';
import { refusal } from './auth-fixtures';
import { databaseKinds, type TestDatabase } from './databases';
import {
	create,
	device,
	feedbackIn,
	observationIn,
	patrolIn,
	seedDistrict,
	update,
	type District
} from './sync-fixtures';

const day = 86_400_000;
const counter = async (db: Db) => (await db.select().from(syncCounter))[0].value;
const lastMutationIdOf = async (db: Db, clientId: string) =>
	(await db.select().from(syncClients).where(eq(syncClients.clientId, clientId)))[0]?.lastMutationId;

describe.each(databaseKinds)('sync push: the protocol on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	beforeAll(async () => {
		database = await open();
		db = database.db;
		d = await seedDistrict(db);
	});
	afterAll(async () => {
		await database.drop();
	});

	it('applies a batch, numbering every written row with a fresh global version', async () => {
		const phone = device(db, d.actors.volunteer);
		const before = await counter(db);
		const observation = observationIn(d, { resolvedOnSpot: true });
		const response = await phone.push(create('observation', observation));
		expect(response).toEqual({
			lastMutationId: 1,
			results: [{ id: 1, status: 'applied', version: before + 1 }]
		});
		const [row] = await db.select().from(observations).where(eq(observations.id, observation.id));
		expect(row).toMatchObject({
			syncVersion: before + 1,
			communityId: d.communities.north,
			compoundId: d.compounds.nA,
			gridId: d.grids.gNA,
			by: d.users.volunteer.id
		});
		expect(await lastMutationIdOf(db, phone.clientId)).toBe(1);
	});

	it('takes a retried batch as already applied: same answer, nothing doubled, no version spent', async () => {
		const phone = device(db, d.actors.volunteer);
		const first = observationIn(d);
		const second = observationIn(d, { resolvedOnSpot: true });
		const body = phone.batch([create('observation', first), create('observation', second)]);
		const applied = await phone.send(body);
		expect(applied.results.map((r) => r.status)).toEqual(['applied', 'applied']);
		const versionAfter = await counter(db);
		const audited = await db.select().from(auditLog).where(eq(auditLog.clientId, phone.clientId));

		const retried = await phone.send(body);
		expect(retried).toEqual({
			lastMutationId: 2,
			results: [
				{ id: 1, status: 'applied' },
				{ id: 2, status: 'applied' }
			]
		});
		expect(await counter(db)).toBe(versionAfter);
		const rows = await db.select().from(observations).where(eq(observations.by, d.users.volunteer.id));
		expect(rows.filter((r) => r.id === first.id || r.id === second.id)).toHaveLength(2);
		const opened = await db
			.select()
			.from(cases)
			.where(sql`${cases.source}->>'id' = ${first.id}`);
		expect(opened).toHaveLength(1);
		expect(await db.select().from(auditLog).where(eq(auditLog.clientId, phone.clientId))).toHaveLength(
			audited.length
		);
	});

	it('answers a retried refusal as refused again, so a lost response never hides it', async () => {
		const phone = device(db, d.actors.volunteer);
		const body = phone.batch([
			create('observation', { ...observationIn(d), severity: 'dire' }),
			create('observation', observationIn(d, { resolvedOnSpot: true }))
		]);
		const first = await phone.send(body);
		expect(first.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
		const retried = await phone.send(body);
		expect(retried.lastMutationId).toBe(2);
		expect(retried.results[0]).toEqual(first.results[0]);
		expect(retried.results[1]).toEqual({ id: 2, status: 'applied' });
	});

	it('keeps a remembered refusal as long as tombstones, then forgets it', async () => {
		const phone = device(db, d.actors.volunteer);
		await phone.push(create('observation', { ...observationIn(d), severity: 'dire' }));
		const remembered = () =>
			db.select().from(syncRejections).where(eq(syncRejections.clientId, phone.clientId));
		expect(await purgeRejections(db, 90, new Date(Date.now() + 89 * day))).toBe(0);
		expect(await remembered()).toHaveLength(1);
		expect(await purgeRejections(db, 90, new Date(Date.now() + 91 * day))).toBeGreaterThanOrEqual(1);
		expect(await remembered()).toEqual([]);
	});

	it('answers a gap with 409 MUTATION_GAP and the id it expects, writing nothing', async () => {
		const phone = device(db, d.actors.volunteer);
		await phone.push(create('observation', observationIn(d, { resolvedOnSpot: true })));
		const before = await counter(db);
		const body = phone.batch([
			create('observation', observationIn(d, { resolvedOnSpot: true })),
			create('observation', observationIn(d, { resolvedOnSpot: true }))
		]);
		const skipped = { ...body, mutations: body.mutations.map((m) => ({ ...m, id: m.id + 1 })) };
		const error = await refusal(phone.send(skipped));
		expect(error.status).toBe(409);
		expect(error.code).toBe('MUTATION_GAP');
		expect(error.extra).toEqual({ error: 'MUTATION_GAP', expected: 2 });
		const response = await error.toResponse('en').json();
		expect(response).toMatchObject({ error: 'MUTATION_GAP', code: 'MUTATION_GAP', expected: 2 });
		expect(response.message).toMatch(/2/);
		expect(await counter(db)).toBe(before);
		expect(await lastMutationIdOf(db, phone.clientId)).toBe(1);

		// A hole inside the batch refuses the whole batch too, its good first mutation included.
		const holed = { ...body, mutations: [body.mutations[0], { ...body.mutations[1], id: 4 }] };
		expect((await refusal(phone.send(holed))).code).toBe('MUTATION_GAP');
		expect(await counter(db)).toBe(before);
		expect((await phone.send(body)).lastMutationId).toBe(3);
	});

	it('lets a new client start anywhere but at 1 only as a gap', async () => {
		const phone = device(db, d.actors.volunteer);
		const body = phone.batch([create('observation', observationIn(d))]);
		const error = await refusal(phone.send({ ...body, mutations: [{ ...body.mutations[0], id: 3 }] }));
		expect(error.extra).toMatchObject({ expected: 1 });
		expect(await lastMutationIdOf(db, phone.clientId)).toBeUndefined();
	});

	it('advances the last id past a rejected mutation, and the next batch goes on from there', async () => {
		const phone = device(db, d.actors.volunteer);
		const rejected = await phone.push(create('observation', { ...observationIn(d), severity: 'dire' }));
		expect(rejected).toMatchObject({
			lastMutationId: 1,
			results: [{ id: 1, status: 'rejected', code: 'VALIDATION' }]
		});
		const next = await phone.push(create('observation', observationIn(d, { resolvedOnSpot: true })));
		expect(next).toMatchObject({ lastMutationId: 2, results: [{ id: 2, status: 'applied' }] });
		expect(await lastMutationIdOf(db, phone.clientId)).toBe(2);
	});

	it('undoes only the refused mutation: the good ones around it stay applied', async () => {
		const phone = device(db, d.actors.volunteer);
		const before = observationIn(d, { resolvedOnSpot: true });
		// Takes a version, then fails in PostgreSQL on the NUL: its savepoint must give the version back.
		const unstorable = observationIn(d, { note: 'a\u0000b', resolvedOnSpot: true });
		const misplaced = observationIn(d, { compoundId: randomUUID(), buildingId: null });
		const after = feedbackIn(d, { kind: 'praise' });
		const response = await phone.push(
			create('observation', before),
			create('observation', unstorable),
			create('observation', misplaced),
			create('feedback', after)
		);
		expect(response.results).toMatchObject([
			{ id: 1, status: 'applied' },
			{ id: 2, status: 'rejected', code: 'VALIDATION' },
			{ id: 3, status: 'rejected', code: 'NOT_FOUND' },
			{ id: 4, status: 'applied' }
		]);
		expect(response.lastMutationId).toBe(4);
		const stored = await db
			.select({ id: observations.id })
			.from(observations)
			.where(inArray(observations.id, [before.id, unstorable.id, misplaced.id]));
		expect(stored).toEqual([{ id: before.id }]);
		expect(await db.select().from(feedback).where(eq(feedback.id, after.id))).toHaveLength(1);
		const versions = response.results.map((r) => (r.status === 'applied' ? r.version : null));
		expect(versions[3]).toBe(versions[0]! + 1);
	});

	it('refuses content the schemas pass but the database cannot store, without failing the push', async () => {
		const phone = device(db, d.actors.volunteer);
		const response = await phone.push(
			create('observation', observationIn(d, { observedAt: '0000-01-01T00:00:00Z' })),
			create('patrol', patrolIn(d, { templateVersion: 3_000_000_000 })),
			create('observation', observationIn(d, { resolvedOnSpot: true }))
		);
		expect(response.results).toMatchObject([
			{ id: 1, status: 'rejected', code: 'VALIDATION' },
			{ id: 2, status: 'rejected', code: 'VALIDATION' },
			{ id: 3, status: 'applied' }
		]);
	});

	it('rejects an unknown mutation name and args that fail their schema, naming the failing paths', async () => {
		const phone = device(db, d.actors.volunteer);
		const observation = observationIn(d, { resolvedOnSpot: true });
		const response = await phone.push(
			{ name: 'observation.explode', args: {} },
			{ name: 'case.create', args: {} },
			{ name: 'constructor', args: {} },
			create('observation', { ...observation, category: 'weather', location: { lat: 200 } }),
			{ name: 'observation.update', args: 'not an object' },
			update('observation', observation.id, { by: randomUUID() }),
			create('observation', { ...observation, id: 'not-a-uuid', buildingId: 'x', gridId: 7, photos: [{}] }),
			{ name: 'feedback.create', args: null },
			create('observation', observation)
		);
		expect(response.results.map((r) => r.status === 'rejected' && r.code)).toEqual([
			'UNKNOWN_MUTATION',
			'UNKNOWN_MUTATION',
			'UNKNOWN_MUTATION',
			'VALIDATION',
			'VALIDATION',
			'VALIDATION',
			'VALIDATION',
			'VALIDATION',
			false
		]);
		const [unknown, , , invalid, , notEditable] = response.results;
		expect(unknown.status === 'rejected' && unknown.message).toContain('observation.explode');
		expect(invalid.status === 'rejected' && invalid.message).toMatch(/category.*location\.lat/);
		expect(notEditable.status === 'rejected' && notEditable.message).toContain('changes');
		expect(response.lastMutationId).toBe(9);
	});

	it('writes rejection messages in the language of the person pushing', async () => {
		const zh = device(db, d.actors.volunteer, 'zh-CN');
		const en = device(db, d.actors.volunteer, 'en');
		const bad = { name: 'observation.explode', args: {} };
		const [zhResult] = (await zh.push(bad)).results;
		const [enResult] = (await en.push(bad)).results;
		expect(zhResult.status === 'rejected' && zhResult.message).toMatch(/[\u4e00-\u9fff]/);
		expect(enResult.status === 'rejected' && enResult.message).toMatch(/^The server does not know/);
	});

	it('refuses a client id registered to another person with 403, writing nothing', async () => {
		const phone = device(db, d.actors.volunteer);
		await phone.push(create('observation', observationIn(d, { resolvedOnSpot: true })));
		const intruder = { ...device(db, d.actors.southVolunteer), clientId: phone.clientId };
		const before = await counter(db);
		const body = { ...phone.batch([create('observation', observationIn(d))]) };
		const error = await refusal(intruder.send(body));
		expect(error.status).toBe(403);
		expect(await counter(db)).toBe(before);
		expect(await lastMutationIdOf(db, phone.clientId)).toBe(1);
		const [client] = await db.select().from(syncClients).where(eq(syncClients.clientId, phone.clientId));
		expect(client.userId).toBe(d.users.volunteer.id);
	});

	it('answers other protocol or schema versions with 409 VERSION_NOT_SUPPORTED', async () => {
		const phone = device(db, d.actors.volunteer);
		const body = phone.batch([create('observation', observationIn(d))]);
		for (const wrong of [
			{ ...body, protocolVersion: 2 },
			{ ...body, schemaVersion: schemaVersion + 1 }
		]) {
			const error = await refusal(phone.send(wrong));
			expect(error.status).toBe(409);
			expect(await error.toResponse('zh-CN').json()).toMatchObject({
				error: 'VERSION_NOT_SUPPORTED',
				code: 'VERSION_NOT_SUPPORTED',
				message: expect.stringMatching(/更新/)
			});
		}
		expect(await lastMutationIdOf(db, phone.clientId)).toBeUndefined();
	});

	it(`answers more than ${maxMutationsPerPush} mutations with 413, and parses such a body without a 400`, async () => {
		const phone = device(db, d.actors.volunteer);
		const many = Array.from({ length: maxMutationsPerPush + 1 }, () =>
			create('observation', observationIn(d))
		);
		const body = phone.batch(many);
		expect(pushBody.safeParse(JSON.parse(JSON.stringify(body))).success).toBe(true);
		const error = await refusal(phone.send(body));
		expect(error.status).toBe(413);
		expect(await lastMutationIdOf(db, phone.clientId)).toBeUndefined();
	});

	it('writes one audit row per applied mutation, with the request and device, and never a phone number', async () => {
		const phone = device(db, d.actors.leader);
		const record = feedbackIn(d);
		await phone.push(
			create('feedback', record),
			update('feedback', record.id, { resident: { name: '李四', phone: '13900001111' } }),
			{ name: 'observation.explode', args: {} }
		);
		const rows = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.clientId, phone.clientId), eq(auditLog.recordId, record.id)));
		expect(rows.map((r) => r.action).sort()).toEqual(['feedback.create', 'feedback.update']);
		for (const row of rows) {
			expect(row).toMatchObject({ userId: d.users.leader.id, collection: 'feedback' });
			expect(row.requestId).toMatch(/^req-/);
			const text = JSON.stringify(row.changes);
			expect(text).not.toContain('13812345678');
			expect(text).not.toContain('13900001111');
		}
		expect(JSON.stringify(rows.map((r) => r.changes))).toContain('139****1111');
		expect(await db.select().from(auditLog).where(eq(auditLog.clientId, phone.clientId))).toHaveLength(2);
	});
});
