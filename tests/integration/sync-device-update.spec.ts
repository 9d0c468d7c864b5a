import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { deviceStores, deviceVersions, type DeviceDb } from '$lib/client/db';
import { digestTable, readDigests } from '$lib/client/digest';
import { mapFields } from '$lib/client/map/mapFields';
import { recordMutation } from '$lib/client/outbox';
import { preparePhoto, refOf } from '$lib/client/photos';
import { SyncRunner } from '$lib/client/sync/runner';
import { RecordingReporter } from '$lib/client/testing/fixtures';
import { blobs, observations } from '$lib/server/db/schema';
import { schemaVersion, type PushRequest } from '$lib/sync/protocol';
import { png } from './blobs-fixtures';
import { databaseKinds, type TestDatabase } from './databases';
import { closeDevices, openDevice, served, serverFetch, sessionUser, stopServing } from './device-fixtures';
import { observationIn, seedDistrict, type District } from './sync-fixtures';

vi.mock('$lib/server/app', async () => ({ getApp: (await import('./served-app')).servedApp }));

/** Every request a device sends, as `METHOD /path`, with the push bodies. */
function watched(fetch: typeof globalThis.fetch) {
	const requests: string[] = [];
	const pushes: PushRequest[] = [];
	const watching: typeof globalThis.fetch = async (input, init) => {
		const request = new Request(input, init);
		requests.push(`${request.method} ${new URL(request.url).pathname}`);
		if (request.url.endsWith('/api/sync/push')) pushes.push(await request.clone().json());
		return fetch(request);
	};
	return { fetch: watching, requests, pushes };
}

/** Every table of a device database, row by row. */
async function dump(db: Dexie): Promise<Record<string, unknown[]>> {
	const tables = await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as const));
	return Object.fromEntries(tables);
}

describe.each(databaseKinds)('app updates and a waiting outbox on $kind', ({ open }) => {
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

	const coordinator = () => serverFetch(sessionUser(d, 'coordinator'));
	const newObservation = (note: string) =>
		observationIn(d, { id: uuidv7(), by: d.actors.coordinator.id, note, resolvedOnSpot: true });

	/**
	 * A device of the previous app version, holding records, photos and queued changes it has not sent:
	 * made by the device code of today, then stored as the previous version stored it (version 1 of the
	 * database, queued mutations without the schema they follow), through the previous declaration.
	 */
	async function previousVersionDevice(name: string) {
		const maker = await openDevice(d.actors.coordinator, coordinator(), { name: `${name}-maker` });
		expect(await maker.runner.sync()).toMatchObject({ ok: true });
		const photo = await preparePhoto(new Blob([png(64, 48)], { type: 'image/png' }), {
			width: 64,
			height: 48
		});
		const first = { ...newObservation('fire lane blocked'), photos: [refOf(photo)] };
		const second = newObservation('bins overflowing');
		await recordMutation(maker.db, 'observation.create', first, { photos: [photo] });
		await recordMutation(maker.db, 'observation.create', second);
		await recordMutation(maker.db, 'observation.update', { id: first.id, changes: { note: 'cleared at 9' } });
		await recordMutation(maker.db, 'observation.delete', { id: second.id });
		const made = await dump(maker.db);
		made.outbox = made.outbox.map((entry) => {
			const { schemaVersion: _dropped, ...previous } = entry as { schemaVersion: number };
			return previous;
		});

		const [v1] = deviceVersions;
		const previous = new Dexie(name);
		previous.version(v1.version).stores(v1.stores);
		await previous.transaction('rw', previous.tables, () =>
			Promise.all(previous.tables.map((table) => table.bulkAdd(made[table.name])))
		);
		return { previous, made, first, second, photo };
	}

	it('opens the previous version’s database at the current one, loses nothing, and sends the queue in order', async () => {
		const name = `update-${uuidv7()}`;
		const { previous, made, first, second, photo } = await previousVersionDevice(name);
		expect(made.outbox).toHaveLength(4);

		// The updated app opens the database while a tab of the previous version still holds it open.
		const network = watched(coordinator());
		const updated = await openDevice(d.actors.coordinator, network.fetch, { name });
		const upgraded = await dump(updated.db);

		expect(updated.db.verno).toBe(deviceVersions.at(-1)!.version);
		expect(previous.isOpen()).toBe(false);
		expect(Object.keys(upgraded).sort()).toEqual([...Object.keys(deviceStores), digestTable].sort());
		// The map's digests, which the previous version did not keep, hold the records it left.
		const digests = await readDigests(updated.db.digest, mapFields);
		expect(digests.observation.map((o) => o.id).sort()).toEqual(
			(upgraded.observation as { id: string }[]).map((o) => o.id).sort()
		);
		expect(digests.observation.length).toBeGreaterThan(0);
		expect(upgraded.outbox).toEqual(made.outbox.map((entry) => ({ ...(entry as object), schemaVersion: 1 })));
		for (const table of Object.keys(deviceStores).filter((t) => t !== 'outbox' && t !== 'photos')) {
			expect(upgraded[table], table).toEqual(made[table]);
		}
		const kept = await updated.db.photos.get(photo.sha256);
		expect(kept).toMatchObject({ ...refOf(photo), uploaded: false });
		expect(new Uint8Array(await kept!.blob.arrayBuffer())).toEqual(
			new Uint8Array(await photo.blob.arrayBuffer())
		);
		expect(await updated.db.observation.get(first.id)).toMatchObject({ note: 'cleared at 9' });

		expect(await updated.runner.sync()).toMatchObject({ ok: true, pushed: 4 });
		expect(network.pushes.flatMap((push) => push.mutations.map((m) => m.id))).toEqual([1, 2, 3, 4]);
		const upload = network.requests.indexOf(`PUT /api/blobs/${photo.sha256}`);
		expect(upload).toBeGreaterThan(-1);
		expect(upload).toBeLessThan(network.requests.indexOf('POST /api/sync/push'));
		const rows = await database.db
			.select()
			.from(observations)
			.where(inArray(observations.id, [first.id, second.id]));
		expect(rows.find((row) => row.id === first.id)).toMatchObject({ note: 'cleared at 9', deletedAt: null });
		expect(rows.find((row) => row.id === second.id)?.deletedAt).toBeInstanceOf(Date);
		expect(await database.db.select().from(blobs).where(eq(blobs.sha256, photo.sha256))).toHaveLength(1);
		expect(await updated.db.outbox.count()).toBe(0);
		expect(await updated.db.rejected.count()).toBe(0);
	});

	it('keeps the outbox when the server answers 409 for another schema, and sends it once the app is updated', async () => {
		// An app built for the record schema before the server's: simulated by rewriting the version it
		// sends, since the device code reads the one it was built with.
		const server = watched(coordinator());
		const olderApp: typeof fetch = async (input, init) => {
			const request = new Request(input, init);
			if (request.method !== 'POST') return server.fetch(request);
			const body = { ...(await request.json()), schemaVersion: schemaVersion - 1 };
			return server.fetch(new Request(request, { body: JSON.stringify(body) }));
		};
		const device = await openDevice(d.actors.coordinator, olderApp);
		const status = new RecordingReporter();
		const runner = new SyncRunner({
			db: device.db,
			fetch: olderApp,
			baseUrl: 'http://gridwalk.test',
			status
		});
		const made = [newObservation('first, waiting'), newObservation('second, waiting')];
		for (const record of made) await recordMutation(device.db, 'observation.create', record);

		expect(await runner.sync()).toMatchObject({ ok: false, error: { code: 'VERSION_NOT_SUPPORTED' } });
		expect(await runner.sync()).toMatchObject({ ok: false, error: { code: 'VERSION_NOT_SUPPORTED' } });
		expect(server.requests).toEqual(['POST /api/sync/push']);
		expect(status.snapshot).toMatchObject({ updateRequired: true, pendingCount: 2 });
		expect((await device.db.outbox.toArray()).map((entry) => entry.id)).toEqual([1, 2]);
		expect(
			await database.db
				.select()
				.from(observations)
				.where(
					inArray(
						observations.id,
						made.map((o) => o.id)
					)
				)
		).toEqual([]);

		// The updated app (a reload after the update) sends the same queue.
		const updated = watched(coordinator());
		const reloaded = new SyncRunner({ db: device.db, fetch: updated.fetch, baseUrl: 'http://gridwalk.test' });
		expect(await reloaded.sync()).toMatchObject({ ok: true, pushed: 2 });
		expect(updated.pushes[0].mutations.map((m) => m.args)).toEqual(made);
		const rows = await database.db
			.select()
			.from(observations)
			.where(
				inArray(
					observations.id,
					made.map((o) => o.id)
				)
			);
		expect(rows.map((row) => row.note).sort()).toEqual(['first, waiting', 'second, waiting']);
	});

	it('does not let a tab of the previous app send what a newer version queued', async () => {
		const network = watched(coordinator());
		const device = await openDevice(d.actors.coordinator, network.fetch);
		const ours = newObservation('queued by this version');
		const theirs = newObservation('queued by a newer version in another tab');
		await recordMutation(device.db, 'observation.create', ours);
		await recordMutation(device.db, 'observation.create', theirs);
		await (device.db as DeviceDb).outbox.update(2, { schemaVersion: schemaVersion + 1 });

		expect(await device.runner.sync()).toMatchObject({ ok: false, error: { code: 'VERSION_NOT_SUPPORTED' } });
		expect(network.pushes.map((push) => push.mutations.map((m) => m.id))).toEqual([[1]]);
		const rows = await database.db
			.select({ id: observations.id })
			.from(observations)
			.where(inArray(observations.id, [ours.id, theirs.id]));
		expect(rows).toEqual([{ id: ours.id }]);
		expect((await device.db.outbox.toArray()).map((entry) => entry.id)).toEqual([1, 2]);
	});
});
