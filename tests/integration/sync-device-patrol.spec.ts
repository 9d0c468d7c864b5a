import 'fake-indexeddb/auto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { recordMutation } from '$lib/client/outbox';
import { PatrolSaver } from '$lib/client/patrol/saver';
import { preparePhoto, refOf } from '$lib/client/photos';
import { blobs, observations, patrols } from '$lib/server/db/schema';
import { png } from './blobs-fixtures';
import { databaseKinds, type TestDatabase } from './databases';
import { closeDevices, openDevice, served, serverFetch, sessionUser, stopServing } from './device-fixtures';
import { observationIn, patrolIn, seedDistrict, type District } from './sync-fixtures';

vi.mock('$lib/server/app', async () => ({ getApp: (await import('./served-app')).servedApp }));

// A patrol as /patrol keeps it: created as a draft, changed through the debounced saver (answers with a
// photo, the route), its failed item's observation, then submitted; one sync brings all of it to the server.
describe.each(databaseKinds)('a patrol from the device on $kind', ({ open }) => {
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

	it('draft → saver updates (answers, photo, track) → spawned observation → submitted, applied once', async () => {
		const phone = await openDevice(d.actors.volunteer, serverFetch(sessionUser(d, 'volunteer')));
		const patrol = patrolIn(d, { id: uuidv7(), track: [] });
		await recordMutation(phone.db, 'patrol.create', patrol);
		const saver = new PatrolSaver(phone.db, patrol.id, { delayMs: 0 });
		const photo = await preparePhoto(new Blob([png(32, 24)], { type: 'image/png' }), {
			width: 32,
			height: 24
		});
		const answers = [
			{ key: 'fire_lane_clear', value: false, note: 'east gate', photos: [refOf(photo)] },
			{ key: 'ebikes_outside_bay', value: 7, photos: [] }
		];
		const track = [
			{ lat: 33.63, lng: 116.98, t: '2030-03-01T08:00:00Z' },
			{ lat: 33.631, lng: 116.98, t: '2030-03-01T08:01:00Z' }
		];
		saver.change({ answers: answers.slice(0, 1) }, [photo]);
		saver.change({ answers, track });
		await saver.flush();
		const spawned = observationIn(d, { id: uuidv7(), patrolId: patrol.id, note: 'Fire lane clear: No' });
		await recordMutation(phone.db, 'observation.create', spawned);
		saver.change({ status: 'submitted', finishedAt: '2030-03-01T09:00:00Z' });
		await saver.flush();
		expect(await phone.db.outbox.count()).toBe(5);

		expect(await phone.runner.sync()).toMatchObject({ ok: true });
		expect(await phone.db.rejected.count()).toBe(0);
		const rows = await database.db.select().from(patrols).where(eq(patrols.id, patrol.id));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ status: 'submitted', answers, track });
		expect(new Date(rows[0].finishedAt as unknown as string).toISOString()).toBe('2030-03-01T09:00:00.000Z');
		const made = await database.db.select().from(observations).where(eq(observations.patrolId, patrol.id));
		expect(made.map((o) => o.id)).toEqual([spawned.id]);
		expect(await database.db.select().from(blobs).where(eq(blobs.sha256, photo.sha256))).toHaveLength(1);

		// A second sync sends nothing again, and the device holds what the server holds.
		expect(await phone.runner.sync()).toMatchObject({ ok: true });
		expect(await database.db.select().from(patrols).where(eq(patrols.id, patrol.id))).toHaveLength(1);
		expect(await phone.db.patrol.get(patrol.id)).toMatchObject({ status: 'submitted', answers, track });
	});
});
