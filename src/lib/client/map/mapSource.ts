import { liveQuery } from 'dexie';
import type { User } from '$lib/domain';
import type { DeviceDb } from '../db';
import { readDigests } from '../digest';
import { mapFields } from './mapFields';
import type { PlaceRows, RecordRows } from './mapData';

/** The places the map draws, and the names of the people its records mention. */
export interface PlacePart {
	rows: PlaceRows;
	users: Pick<User, 'id' | 'displayName'>[];
}

/**
 * The grids, compounds, buildings and people on the device, in one read-only transaction. Explicit
 * transactions here and below, so that inside a live query Dexie hands over the rows as IndexedDB gave
 * them: its cache of live queries would otherwise clone every record once more.
 */
export function readPlaces(db: DeviceDb): Promise<PlacePart> {
	return db.transaction('r', [db.grid, db.compound, db.building, db.user], async () => {
		const [grids, compounds, buildings, users] = await Promise.all([
			db.grid.toArray(),
			db.compound.toArray(),
			db.building.toArray(),
			db.user.toArray()
		]);
		return { rows: { grids, compounds, buildings }, users };
	});
}

/**
 * The map's fields of the cases, observations, feedback, visits and surveys on the device (tens of
 * thousands of records), from their digests: a few rows.
 */
export async function readRecords(db: DeviceDb): Promise<RecordRows> {
	const digests = await readDigests(db.digest, mapFields);
	return {
		cases: digests.case,
		observations: digests.observation,
		feedback: digests.feedback,
		visits: digests.visit,
		surveys: digests.survey
	};
}

export interface MapListener {
	places(part: PlacePart): void;
	records(rows: RecordRows): void;
}

export interface MapSource {
	/**
	 * Called with the places, and apart with the records, as each has been read (the places first: they are
	 * few), then again after each change on the device.
	 */
	subscribe(listener: MapListener): () => void;
	/** Stops the reads now: the rows it read are not to be shown. */
	close(): void;
}

/**
 * The map's rows, live (what a sync brings in appears without reopening the map). The reads start at
 * once, so that they run while the page mounts; they stop when the last subscriber leaves, or after
 * `graceMs` if none ever came (the navigation to the map was given up).
 */
export function mapSource(db: DeviceDb, graceMs = 30_000): MapSource {
	let places: PlacePart | undefined;
	let records: RecordRows | undefined;
	const listeners = new Set<MapListener>();
	let subscriptions: { unsubscribe(): void }[] = [];
	const start = () => {
		if (subscriptions.length) return;
		subscriptions = [
			liveQuery(() => readPlaces(db)).subscribe({
				next: (value) => {
					places = value;
					for (const listener of listeners) listener.places(value);
				}
			}),
			liveQuery(() => readRecords(db)).subscribe({
				next: (value) => {
					records = value;
					for (const listener of listeners) listener.records(value);
				}
			})
		];
	};
	const stop = () => {
		for (const subscription of subscriptions) subscription.unsubscribe();
		subscriptions = [];
		// Not watched meanwhile: a later subscriber waits for fresh reads.
		places = records = undefined;
	};
	start();
	setTimeout(() => {
		if (listeners.size === 0) stop();
	}, graceMs);
	return {
		subscribe(listener) {
			listeners.add(listener);
			start();
			if (places) listener.places(places);
			if (records) listener.records(records);
			return () => {
				listeners.delete(listener);
				if (listeners.size === 0) stop();
			};
		},
		close() {
			listeners.clear();
			stop();
		}
	};
}
