import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordMutation } from '$lib/client/outbox';
import { needsAttention } from '$lib/client/rejected';
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
	stopServing,
	type TestDevice
} from './device-fixtures';
import { observationIn, seedDistrict, type District, type Person } from './sync-fixtures';

vi.mock('$lib/server/app', async () => ({ getApp: (await import('./served-app')).servedApp }));

/**
 * Two devices change one record while apart, then sync one after the other (DESIGN.md §3 merge rules):
 * the real device code (Dexie over fake-indexeddb, outbox, runner, rebase) against the real push and pull
 * handlers. Whatever the order, each device ends holding what the server holds for its person, and a
 * change the server refused waits in "needs attention" with the reason.
 */
describe.each(databaseKinds)('two devices editing one record on $kind', ({ open }) => {
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

	async function devicesOf(person: Person): Promise<[TestDevice, TestDevice]> {
		const fetch = serverFetch(sessionUser(d, person));
		const phone = await openDevice(d.actors[person], fetch);
		const tablet = await openDevice(d.actors[person], fetch);
		return [phone, tablet];
	}

	async function synced(...devices: TestDevice[]) {
		for (const device of devices) expect(await device.runner.sync()).toMatchObject({ ok: true });
	}

	/** Both devices hold exactly what a fresh device of `person` pulls, and nothing waits to be sent. */
	async function expectConverged(person: Person, ...devices: TestDevice[]) {
		const truth = await serverRecords(database, d.actors[person]);
		for (const device of devices) {
			expect(await device.db.outbox.count()).toBe(0);
			expect(await deviceRecords(device.db)).toEqual(truth);
		}
	}

	/** A volunteer's observation, on the server and on both of their devices. */
	async function shared(phone: TestDevice, tablet: TestDevice) {
		const record = observationIn(d, { by: d.users.volunteer.id, resolvedOnSpot: true, note: 'as found' });
		await recordMutation(phone.db, 'observation.create', record);
		await synced(phone, tablet);
		return record;
	}

	it('keeps both edits when they change different fields', async () => {
		const [phone, tablet] = await devicesOf('volunteer');
		const { id } = await shared(phone, tablet);
		await recordMutation(phone.db, 'observation.update', { id, changes: { note: 'cars still there' } });
		await recordMutation(tablet.db, 'observation.update', { id, changes: { severity: 'high' } });
		await synced(phone, tablet, phone);
		expect(await phone.db.table('observation').get(id)).toMatchObject({
			note: 'cars still there',
			severity: 'high'
		});
		await expectConverged('volunteer', phone, tablet);
	});

	it('lets the later arrival win a field both changed, on the server and on both devices', async () => {
		const [phone, tablet] = await devicesOf('volunteer');
		const { id } = await shared(phone, tablet);
		await recordMutation(tablet.db, 'observation.update', { id, changes: { note: 'written on the tablet' } });
		await recordMutation(phone.db, 'observation.update', { id, changes: { note: 'written on the phone' } });
		// The tablet's edit was made first but reaches the server last: arrival decides, not the device's time.
		await synced(phone, tablet, phone);
		for (const device of [phone, tablet]) {
			expect(await device.db.table('observation').get(id)).toMatchObject({ note: 'written on the tablet' });
		}
		await expectConverged('volunteer', phone, tablet);
	});

	it('lets one of two racing case moves through; the other waits in "needs attention" with the case as it is', async () => {
		const [reporter] = await devicesOf('volunteer');
		const observation = observationIn(d, { by: d.users.volunteer.id, resolvedOnSpot: false });
		await recordMutation(reporter.db, 'observation.create', observation);
		await synced(reporter);
		const id = caseIdFor('observation', observation.id);
		const [laptop, phone] = await devicesOf('coordinator');
		await synced(laptop, phone);

		await recordMutation(laptop.db, 'case.transition', { id, from: 'reported', to: 'triaged' });
		await recordMutation(phone.db, 'case.transition', {
			id,
			from: 'reported',
			to: 'rejected',
			reason: 'Not a property matter'
		});
		// Each device shows its own move at once, before any sync.
		expect(await phone.db.table('case').get(id)).toMatchObject({ status: 'rejected' });
		await synced(laptop, phone, laptop);

		const [refused] = await needsAttention(phone.db);
		expect(refused).toMatchObject({ code: 'STALE_TRANSITION', recordId: id, current: { status: 'triaged' } });
		expect(await needsAttention(laptop.db)).toEqual([]);
		for (const device of [laptop, phone]) {
			expect(await device.db.table('case').get(id)).toMatchObject({ status: 'triaged' });
		}
		await expectConverged('coordinator', laptop, phone);
	});

	it('keeps a delete against a later edit: the edit waits in "needs attention", the record is gone everywhere', async () => {
		const [phone, tablet] = await devicesOf('volunteer');
		const { id } = await shared(phone, tablet);
		await recordMutation(phone.db, 'observation.delete', { id });
		await recordMutation(tablet.db, 'observation.update', { id, changes: { note: 'one more detail' } });
		await synced(phone, tablet, phone);

		const [refused] = await needsAttention(tablet.db);
		expect(refused).toMatchObject({ code: 'NOT_FOUND', recordId: id });
		for (const device of [phone, tablet])
			expect(await device.db.table('observation').get(id)).toBeUndefined();
		await expectConverged('volunteer', phone, tablet);
	});

	it('applies an edit that arrives before the delete, then the delete', async () => {
		const [phone, tablet] = await devicesOf('volunteer');
		const { id } = await shared(phone, tablet);
		await recordMutation(tablet.db, 'observation.update', { id, changes: { note: 'one more detail' } });
		await recordMutation(phone.db, 'observation.delete', { id });
		await synced(tablet, phone, tablet);
		expect(await needsAttention(tablet.db)).toEqual([]);
		expect(await needsAttention(phone.db)).toEqual([]);
		for (const device of [phone, tablet])
			expect(await device.db.table('observation').get(id)).toBeUndefined();
		await expectConverged('volunteer', phone, tablet);
	});
});
