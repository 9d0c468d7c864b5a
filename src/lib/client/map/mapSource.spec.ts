import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Building, Grid, Observation } from '$lib/domain';
import { deleteTestDbs, openTestDb } from '../testing/devices';
import { mapSource, type PlacePart } from './mapSource';
import type { RecordRows } from './mapData';

afterEach(deleteTestDbs);

// The source hands rows over as stored: only the fields a check looks at are written.
const grid = { id: 'g1', name: 'Grid 1' } as unknown as Grid;
const building = { id: 'b1', name: 'Building 1' } as unknown as Building;
const observation = (id: string) => ({ id, category: 'parking' }) as unknown as Observation;

function listen() {
	const places: PlacePart[] = [];
	const records: RecordRows[] = [];
	return {
		places,
		records,
		listener: {
			places: (part: PlacePart) => places.push(part),
			records: (rows: RecordRows) => records.push(rows)
		}
	};
}

describe('the map source', () => {
	it('hands over the places and the records the device holds, then each change, until unsubscribed', async () => {
		const db = openTestDb();
		await db.grid.put(grid);
		await db.building.put(building);
		await db.observation.bulkPut([observation('o1'), observation('o2')]);
		const source = mapSource(db);
		const seen = listen();
		const unsubscribe = source.subscribe(seen.listener);

		await vi.waitFor(() => expect(seen.records).toHaveLength(1));
		expect(seen.places.at(-1)?.rows.grids.map((g) => g.id)).toEqual(['g1']);
		expect(seen.places.at(-1)?.rows.buildings.map((b) => b.id)).toEqual(['b1']);
		expect(seen.records[0].observations.map((o) => o.id)).toEqual(['o1', 'o2']);

		// What a sync brings in reaches the map without reopening it.
		await db.observation.put(observation('o3'));
		await vi.waitFor(() => expect(seen.records.at(-1)?.observations).toHaveLength(3));

		// A later subscriber (the page mounting after the load began the reads) gets what was read at once.
		const late = listen();
		const unsubscribeLate = source.subscribe(late.listener);
		expect(late.records.at(-1)?.observations).toHaveLength(3);
		expect(late.places).toHaveLength(1);

		unsubscribe();
		unsubscribeLate();
		const before = seen.records.length;
		await db.observation.put(observation('o4'));
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(seen.records).toHaveLength(before);
	});

	it('stops reading when nobody subscribed in time (the navigation to the map was given up)', async () => {
		const db = openTestDb();
		await db.observation.put(observation('o1'));
		const source = mapSource(db, 300);
		await new Promise((resolve) => setTimeout(resolve, 500));
		await db.observation.put(observation('o2'));
		// Still reading, it would hand over its last rows at once (see above); stopped, it reads afresh.
		const seen = listen();
		const unsubscribe = source.subscribe(seen.listener);
		expect(seen.records).toHaveLength(0);
		await vi.waitFor(() => expect(seen.records.at(-1)?.observations.map((o) => o.id)).toEqual(['o1', 'o2']));
		unsubscribe();
	});

	it('once closed, hands over nothing it read: rows read before another person signed in are dropped', async () => {
		const db = openTestDb();
		await db.observation.put(observation('theirs'));
		const early = mapSource(db);
		const seen = listen();
		early.subscribe(seen.listener);
		await vi.waitFor(() => expect(seen.records).toHaveLength(1));
		early.close();
		await db.observation.clear();
		await db.observation.put(observation('mine'));
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(seen.records).toHaveLength(1);

		const fresh = listen();
		const unsubscribe = mapSource(db).subscribe(fresh.listener);
		await vi.waitFor(() => expect(fresh.records.at(-1)?.observations.map((o) => o.id)).toEqual(['mine']));
		unsubscribe();
	});
});
