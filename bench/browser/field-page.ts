// The field bench's page, served under the built app's origin: the device's real save path
// (`recordMutation`: the record and its outbox entry in one Dexie transaction), timed inside the page.
import { openDeviceDb, type DeviceDb } from '$lib/client/db';
import { newRecordId } from '$lib/client/ids';
import { writeMeta } from '$lib/client/meta';
import { recordMutation } from '$lib/client/outbox';
import type { Actor, Observation } from '$lib/domain';

export interface SavePlace {
	compoundId: string;
	buildingId: string;
	gridId: string;
	lat: number;
	lng: number;
}

export interface SaveTiming {
	/** Milliseconds of each save, in order. */
	samples: number[];
	/** Records the device held before the first timed save. */
	existing: number;
	/** Outbox entries after the run: one per save. */
	queued: number;
}

function observationAt(place: SavePlace, by: string, i: number): Observation {
	return {
		id: newRecordId(),
		category: 'parking',
		subtype: 'parking.ebike_outside_bay',
		severity: 'medium',
		location: { lat: place.lat, lng: place.lng, accuracy: 12 },
		compoundId: place.compoundId,
		buildingId: place.buildingId,
		gridId: place.gridId,
		note: `电动车停在车棚外 #${i}`,
		photos: [],
		observedAt: new Date(Date.now() - i * 60_000).toISOString(),
		resolvedOnSpot: false,
		by
	};
}

async function putObservations(db: DeviceDb, actor: Actor, place: SavePlace, count: number) {
	for (let done = 0; done < count; done += 5_000) {
		const batch = Array.from({ length: Math.min(5_000, count - done) }, (_, i) =>
			observationAt(place, actor.id, done + i)
		);
		await db.observation.bulkPut(batch);
	}
}

/** `count` of the person's observations into the app's own device database, as if synced (untimed). */
async function putOwnRecords(actor: Actor, place: SavePlace, count: number): Promise<number> {
	const db = openDeviceDb();
	await db.open();
	await putObservations(db, actor, place, count);
	const held = await db.observation.where('by').equals(actor.id).count();
	db.close();
	return held;
}

/** `existing` observations already stored (untimed), then `saves` observations saved one after another. */
async function saveLatency(
	actor: Actor,
	place: SavePlace,
	existing: number,
	saves: number
): Promise<SaveTiming> {
	const db = openDeviceDb('gridwalk-bench-save');
	await db.open();
	await writeMeta(db, 'actor', actor);
	await putObservations(db, actor, place, existing);
	const held = await db.observation.count();
	const samples: number[] = [];
	for (let i = 0; i < saves; i++) {
		const record = observationAt(place, actor.id, i);
		const started = performance.now();
		await recordMutation(db, 'observation.create', record);
		samples.push(performance.now() - started);
	}
	const queued = await db.outbox.count();
	db.close();
	return { samples, existing: held, queued };
}

const fieldBench = { putOwnRecords, saveLatency };
export type FieldBenchPage = typeof fieldBench;

declare global {
	interface Window {
		fieldBench: FieldBenchPage;
	}
}

window.fieldBench = fieldBench;
