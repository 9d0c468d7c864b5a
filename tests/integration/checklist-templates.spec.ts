import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChecklistItem, ChecklistTemplate } from '$lib/domain';
import type { Locale } from '$lib/i18n';
import { latestTemplates } from '$lib/client/patrol/checklist';
import { auditLog, checklistTemplates } from '$lib/server/db/schema';
import * as listRoute from '../../src/routes/api/checklists/+server';
import * as templateRoute from '../../src/routes/api/checklists/[id]/+server';
import { databaseKinds, type TestDatabase } from './databases';
import { closeDevices, openDevice, served, serverFetch, sessionUser, stopServing } from './device-fixtures';
import { seedDistrict, type District, type Person } from './sync-fixtures';

vi.mock('$lib/server/app', async () => ({ getApp: (await import('./served-app')).servedApp }));

// Coordinators and admins write checklist templates; every save is a new version that devices pull,
// while the versions before it stay for the patrols begun with them.

type Handler = (event: RequestEvent) => Promise<Response>;

const laneItem: ChecklistItem = {
	key: 'fire_lane_clear',
	label: { zh: '消防通道畅通', en: 'Fire lane clear' },
	type: 'yes_no',
	required: true,
	failWhen: false,
	spawns: 'parking.fire_lane_blocked'
};
const binsItem: ChecklistItem = {
	key: 'bins',
	label: { zh: '垃圾桶情况', en: 'Bins' },
	type: 'choice',
	required: true,
	choices: [
		{ value: 'ok', label: { zh: '正常', en: 'Fine' } },
		{ value: 'full', label: { zh: '满溢', en: 'Overflowing' } }
	],
	failWhen: ['full'],
	spawns: 'sanitation.overflowing_bin'
};
const title = { zh: '楼道巡查', en: 'Stairwell walk' };

describe.each(databaseKinds)('checklist templates on $kind', ({ open }) => {
	let database: TestDatabase;
	let d: District;
	beforeAll(async () => {
		database = await open();
		served.database = database;
		d = await seedDistrict(database.db);
	});
	afterEach(closeDevices);
	afterAll(async () => {
		stopServing();
		await database.drop();
	});

	/** A request to the real route handlers as `person` (null: nobody signed in). */
	async function call(
		person: Person | null,
		method: 'GET' | 'POST' | 'PUT',
		id: string | null,
		body?: unknown,
		locale: Locale = 'en'
	) {
		const url = new URL(`http://gridwalk.test/api/checklists${id ? `/${id}` : ''}`);
		const request = new Request(url, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const module = (id ? templateRoute : listRoute) as unknown as Record<string, Handler>;
		const locals = {
			user: person ? sessionUser(d, person) : null,
			sessionId: null,
			requestId: `req-${randomUUID()}`,
			locale
		};
		const response = await module[method]({
			request,
			url,
			params: { id },
			locals
		} as unknown as RequestEvent);
		return { status: response.status, body: await response.json() };
	}
	const templateRows = async (id: string) =>
		database.db
			.select()
			.from(checklistTemplates)
			.where(eq(checklistTemplates.id, id))
			.orderBy(checklistTemplates.version);

	it('a save makes version 2 beside version 1; a device pulls it and keeps version 1 for its patrol', async () => {
		const created = await call('coordinator', 'POST', null, { title, items: [laneItem] });
		expect(created.status).toBe(201);
		const v1: ChecklistTemplate = created.body;
		expect(v1).toMatchObject({ version: 1, title, items: [laneItem] });

		const phone = await openDevice(d.actors.volunteer, serverFetch(sessionUser(d, 'volunteer')));
		expect(await phone.runner.sync()).toMatchObject({ ok: true });
		expect(await phone.db.checklistTemplate.where('id').equals(v1.id).toArray()).toMatchObject([
			{ version: 1, items: [laneItem] }
		]);

		const revised = await call('coordinator', 'PUT', v1.id, {
			baseVersion: 1,
			title,
			items: [laneItem, binsItem]
		});
		expect(revised).toMatchObject({
			status: 200,
			body: { id: v1.id, version: 2, items: [laneItem, binsItem] }
		});

		const rows = await templateRows(v1.id);
		expect(rows.map((r) => [r.version, r.items.map((i) => i.key)])).toEqual([
			[1, ['fire_lane_clear']],
			[2, ['fire_lane_clear', 'bins']]
		]);
		expect(rows[1].syncVersion).toBeGreaterThan(rows[0].syncVersion);

		// The device's next sync brings version 2; a new patrol takes it, one begun on version 1 still finds its items.
		expect(await phone.runner.sync()).toMatchObject({ ok: true });
		const held = await phone.db.checklistTemplate.toArray();
		expect(latestTemplates(held, 'en').find((t) => t.id === v1.id)).toMatchObject({
			version: 2,
			items: [laneItem, binsItem]
		});
		expect(await phone.db.checklistTemplate.get([v1.id, 1])).toMatchObject({ items: [laneItem] });

		// Both saves are in the audit log: who, which request, what version from which.
		const audit = await database.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.recordId, v1.id))
			.orderBy(auditLog.id);
		expect(audit).toMatchObject([
			{
				userId: d.users.coordinator.id,
				action: 'checklistTemplate.create',
				collection: 'checklistTemplate',
				changes: { version: 1, from: null }
			},
			{ userId: d.users.coordinator.id, action: 'checklistTemplate.revise', changes: { version: 2, from: 1 } }
		]);
		expect(audit.every((entry) => entry.requestId?.startsWith('req-'))).toBe(true);

		// The list shows every version, newest first, with who saved it.
		const listed = await call('admin', 'GET', null);
		expect(listed.status).toBe(200);
		const history = listed.body.find((h: { id: string }) => h.id === v1.id);
		expect(history.versions.map((v: { version: number; savedBy: string }) => [v.version, v.savedBy])).toEqual(
			[
				[2, 'coordinator'],
				[1, 'coordinator']
			]
		);
	});

	it('volunteers and grid leaders are refused (403), nobody signed in 401, and nothing is written', async () => {
		const made = await call('admin', 'POST', null, { title, items: [laneItem] });
		expect(made.status).toBe(201);
		for (const person of ['volunteer', 'leader'] as const) {
			expect(await call(person, 'GET', null)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
			expect(await call(person, 'POST', null, { title, items: [laneItem] })).toMatchObject({ status: 403 });
			const put = await call(person, 'PUT', made.body.id, { baseVersion: 1, title, items: [binsItem] });
			expect(put).toMatchObject({ status: 403 });
		}
		expect(await call(null, 'POST', null, { title, items: [laneItem] })).toMatchObject({ status: 401 });
		expect((await templateRows(made.body.id)).map((r) => r.version)).toEqual([1]);
	});

	it('bad input is 400 with each problem at its path in the person’s language, and writes nothing', async () => {
		const before = await database.db.select().from(checklistTemplates);
		const bad = await call(
			'coordinator',
			'POST',
			null,
			{
				title: { zh: '巡查', en: '' },
				items: [
					{ ...binsItem, choices: undefined, failWhen: undefined, spawns: undefined },
					{ ...laneItem, failWhen: { atLeast: 2 } }
				]
			},
			'zh-CN'
		);
		expect(bad.status).toBe(400);
		expect(bad.body.code).toBe('BAD_TEMPLATE');
		expect(bad.body.issues).toEqual([
			{ path: 'title.en', code: 'textMissing', message: '请填写这一栏。' },
			{ path: 'items.0.choices', code: 'choicesMissing', message: '单选项至少要有两个选项。' },
			{ path: 'items.1.failWhen', code: 'failWhenYesNo', message: '是/否项只能在回答“是”或“否”时不合格。' }
		]);
		expect(bad.body.message).toContain('items.0.choices');
		const unknownKind = await call('coordinator', 'POST', null, {
			title,
			items: [{ ...laneItem, spawns: 'parking.spaceship' }]
		});
		expect(unknownKind.body.issues).toEqual([
			{ path: 'items.0.spawns', code: 'spawnsUnknown', message: 'There is no such kind of problem.' }
		]);
		const twice = await call('coordinator', 'POST', null, { title, items: [laneItem, laneItem] });
		expect(twice).toMatchObject({
			status: 400,
			body: { issues: [{ path: 'items.1.key', code: 'keyDuplicate' }] }
		});
		const notJson = await listRoute.POST({
			request: new Request('http://gridwalk.test/api/checklists', { method: 'POST', body: '{' }),
			locals: { user: sessionUser(d, 'coordinator'), locale: 'en', requestId: 'r' }
		} as unknown as RequestEvent);
		expect(notJson.status).toBe(400);
		expect(await database.db.select().from(checklistTemplates)).toHaveLength(before.length);
	});

	it('a save over a version that is no longer the newest is 409 with the newest; an unknown template 404', async () => {
		const made = await call('coordinator', 'POST', null, { title, items: [laneItem] });
		const id = made.body.id;
		expect((await call('admin', 'PUT', id, { baseVersion: 1, title, items: [binsItem] })).status).toBe(200);
		const late = await call('coordinator', 'PUT', id, { baseVersion: 1, title, items: [laneItem, binsItem] });
		expect(late).toMatchObject({ status: 409, body: { code: 'STALE_TEMPLATE', latest: 2 } });
		expect(late.body.message).toContain('version 2');
		expect((await templateRows(id)).map((r) => r.items.length)).toEqual([1, 1]);
		const unknown = await call('coordinator', 'PUT', randomUUID(), {
			baseVersion: 1,
			title,
			items: [laneItem]
		});
		expect(unknown).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
		expect(
			await call('coordinator', 'PUT', 'not-an-id', { baseVersion: 1, title, items: [laneItem] })
		).toMatchObject({ status: 404 });
	});
});
