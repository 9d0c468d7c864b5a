import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { recordMutation } from '$lib/client/outbox';
import { auditLog, caseEvents } from '$lib/server/db/schema';
import { caseIdFor } from '$lib/server/sync/caseOpening';
import { databaseKinds, type TestDatabase } from './databases';
import {
	closeDevices,
	deviceRecords,
	openDevice,
	served,
	serverFetch,
	serverRecords,
	sessionUser,
	skewedClock,
	stopServing,
	type TestDevice
} from './device-fixtures';
import { observationIn, seedDistrict, type District } from './sync-fixtures';

vi.mock('$lib/server/app', async () => ({ getApp: (await import('./served-app')).servedApp }));

const hour = 3_600_000;

/**
 * Two devices of one coordinator, one clock two hours fast and one two hours slow, against the real push
 * and pull. The server orders and merges by arrival and stamps its own times: no device clock shows in
 * what it decides or writes. The devices' clocks are faked per device (recordMutation's `now`, the
 * runner's Clock, UUIDv7 ids made at the device's time) rather than with fake timers, because devices and
 * server share this process: faking `Date` would move the server's clock as well.
 */
describe.each(databaseKinds)('devices with wrong clocks on $kind', ({ open }) => {
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

	/** Runs `work` and returns the real (server) time span it took. */
	async function span(work: () => Promise<unknown>): Promise<{ from: number; to: number }> {
		const from = Date.now();
		await work();
		return { from, to: Date.now() };
	}

	async function synced(device: TestDevice) {
		const result = await device.runner.sync();
		expect(result).toMatchObject({ ok: true });
	}

	const within = (iso: string | null | undefined, { from, to }: { from: number; to: number }, plus = 0) => {
		const at = Date.parse(iso ?? '');
		return at >= from + plus && at <= to + plus;
	};

	it('orders by arrival, stamps server times, and leaves both devices identical to the server', async () => {
		const fetch = serverFetch(sessionUser(d, 'coordinator'));
		const actor = d.actors.coordinator;
		const ahead = await openDevice(actor, fetch, { clock: skewedClock(2 * hour) });
		const behind = await openDevice(actor, fetch, { clock: skewedClock(-2 * hour) });
		await synced(ahead);
		await synced(behind);

		const madeOn = (device: TestDevice, note: string) =>
			observationIn(d, {
				id: uuidv7({ msecs: device.now().getTime() }),
				by: actor.id,
				note,
				observedAt: device.now().toISOString()
			});
		const first = madeOn(ahead, 'made on the fast phone, sent first');
		const second = madeOn(behind, 'made on the slow phone, sent second');
		await recordMutation(ahead.db, 'observation.create', first, { now: ahead.now() });
		await recordMutation(behind.db, 'observation.create', second, { now: behind.now() });
		expect(Date.parse((await ahead.db.outbox.get(1))!.clientTime)).toBeGreaterThan(
			Date.parse((await behind.db.outbox.get(1))!.clientTime) + 3.9 * hour
		);

		const firstPush = await span(() => synced(ahead));
		const secondPush = await span(() => synced(behind));

		// Both edit the first record while offline: the slow phone first, the fast one a moment later.
		await recordMutation(
			behind.db,
			'observation.update',
			{ id: first.id, changes: { note: 'the slow phone’s note, arriving last' } },
			{ now: behind.now() }
		);
		await recordMutation(
			ahead.db,
			'observation.update',
			{ id: first.id, changes: { note: 'the fast phone’s note', severity: 'high' } },
			{ now: ahead.now() }
		);
		// Still offline, the slow phone moves the first record's case on (it pulled the case with its last sync).
		const caseId = caseIdFor('observation', first.id);
		await recordMutation(
			behind.db,
			'case.transition',
			{ id: caseId, from: 'reported', to: 'triaged' },
			{
				now: behind.now()
			}
		);
		expect(Date.parse((await behind.db.case.get(caseId))!.dueAt!)).toBeLessThan(Date.now() + 71 * hour);

		await synced(ahead);
		const triage = await span(() => synced(behind));
		await synced(ahead);

		const [aheadHolds, behindHolds, serverHolds] = await Promise.all([
			deviceRecords(ahead.db),
			deviceRecords(behind.db),
			serverRecords(database, actor)
		]);
		const onServer = (id: string) => serverHolds.observation.find((o) => o.id === id)!;

		// The later arrival wins the same field, although its device said it was written four hours earlier.
		expect(onServer(first.id)).toMatchObject({
			note: 'the slow phone’s note, arriving last',
			severity: 'high',
			observedAt: first.observedAt
		});
		// Server times come from the server's clock, at the moment each push arrived.
		const firstCase = serverHolds.case.find((c) => c.id === caseId)!;
		const secondCase = serverHolds.case.find((c) => c.id === caseIdFor('observation', second.id))!;
		expect(within(String(secondCase.createdAt), secondPush)).toBe(true);
		expect(firstCase).toMatchObject({ status: 'triaged', createdAt: expect.any(String) });
		expect(within(String(firstCase.createdAt), firstPush)).toBe(true);
		expect(within(String(firstCase.updatedAt), triage)).toBe(true);
		expect(within(String(firstCase.dueAt), triage, 72 * hour)).toBe(true);
		const events = await database.db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.to, 'triaged')));
		expect(events).toHaveLength(1);
		expect(within(new Date(events[0].at).toISOString(), triage)).toBe(true);
		const audited = await database.db
			.select({ at: auditLog.at })
			.from(auditLog)
			.where(inArray(auditLog.recordId, [first.id, second.id, caseId]));
		expect(audited.length).toBeGreaterThanOrEqual(5);
		for (const { at } of audited)
			expect(within(at.toISOString(), { from: firstPush.from, to: Date.now() })).toBe(true);

		// Both devices end holding exactly what the server holds for this person, with nothing left to send.
		expect(aheadHolds).toEqual(serverHolds);
		expect(behindHolds).toEqual(serverHolds);
		for (const device of [ahead, behind]) {
			expect(await device.db.outbox.count()).toBe(0);
			expect(await device.db.rejected.count()).toBe(0);
		}
	});
});
