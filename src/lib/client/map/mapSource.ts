import { liveQuery } from 'dexie';
import type { User } from '$lib/domain';
import type { DeviceDb } from '../db';
import type { DeviceRecords } from './mapData';

/** What the map is made from: the device's rows, and the names of the people they mention. */
export interface MapRows {
	rows: DeviceRecords;
	users: Pick<User, 'id' | 'displayName'>[];
}

/**
 * Every row the map shows, in one read-only transaction. An explicit transaction, so that inside a live
 * query Dexie hands over the rows as IndexedDB gave them: its cache of live queries would otherwise clone
 * each of the 20,000+ records once more.
 */
export function readMapRows(db: DeviceDb): Promise<MapRows> {
	const tables = [
		db.grid,
		db.compound,
		db.building,
		db.case,
		db.observation,
		db.feedback,
		db.visit,
		db.survey,
		db.user
	];
	return db.transaction('r', tables, async () => {
		const [grids, compounds, buildings, cases, observations, feedback, visits, surveys, users] =
			await Promise.all([
				db.grid.toArray(),
				db.compound.toArray(),
				db.building.toArray(),
				db.case.toArray(),
				db.observation.toArray(),
				db.feedback.toArray(),
				db.visit.toArray(),
				db.survey.toArray(),
				db.user.toArray()
			]);
		return {
			rows: { grids, compounds, buildings, cases, observations, feedback, visits, surveys },
			users
		};
	});
}

export interface MapSource {
	/** Called now with the rows when they have been read, then again after each change on the device. */
	subscribe(listener: (value: MapRows) => void): () => void;
}

/**
 * The map's rows, live (what a sync brings in appears without reopening the map). The read starts at
 * once, so that it runs while the page's code loads; it stops when the last subscriber leaves, or after
 * `graceMs` if none ever came (the navigation to the map was given up).
 */
export function mapSource(db: DeviceDb, graceMs = 30_000): MapSource {
	let latest: MapRows | undefined;
	const listeners = new Set<(value: MapRows) => void>();
	let subscription: { unsubscribe(): void } | null = null;
	const start = () => {
		subscription ??= liveQuery(() => readMapRows(db)).subscribe({
			next: (value) => {
				latest = value;
				for (const listener of listeners) listener(value);
			}
		});
	};
	const stop = () => {
		subscription?.unsubscribe();
		subscription = null;
		// Not watched meanwhile: a later subscriber waits for a fresh read.
		latest = undefined;
	};
	start();
	setTimeout(() => {
		if (listeners.size === 0) stop();
	}, graceMs);
	return {
		subscribe(listener) {
			listeners.add(listener);
			start();
			if (latest) listener(latest);
			return () => {
				listeners.delete(listener);
				if (listeners.size === 0) stop();
			};
		}
	};
}
