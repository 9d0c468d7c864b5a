import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord, Observation } from '$lib/domain';
import { deviceVersions, openDeviceDb, type DeviceDb } from './db';
import { maxSegments, readDigests } from './digest';
import { mapFields } from './map/mapFields';
import { deleteTestDbs, openTestDb } from './testing/devices';
import { caseRecord, observation } from './testing/fixtures';

afterEach(deleteTestDbs);

/** What the digests should hold: the map's fields of every record the tables hold (absent ones null). */
async function expected(db: DeviceDb) {
	const pick = (fields: readonly string[], rows: object[]) =>
		rows.map((row) =>
			Object.fromEntries(fields.map((f) => [f, (row as Record<string, unknown>)[f] ?? null]))
		);
	return {
		observation: pick(mapFields.observation, await db.observation.toArray()),
		case: pick(mapFields.case, await db.case.toArray())
	};
}

async function digestsOf(db: DeviceDb) {
	const digests = await readDigests(db.digest, mapFields);
	const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
	return { observation: digests.observation.sort(byId), case: digests.case.sort(byId) };
}

async function expectInStep(db: DeviceDb) {
	const want = await expected(db);
	const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
		String(a.id).localeCompare(String(b.id));
	expect(await digestsOf(db)).toEqual({
		observation: want.observation.sort(byId),
		case: want.case.sort(byId)
	});
}

describe('the digests of the records the map reads', () => {
	it('follow every kind of write: add, put, update, modify, delete, a range, clear', async () => {
		const db = openTestDb();
		const [a, b, c] = [observation(), observation({ buildingId: null }), observation()];
		await db.observation.add(a);
		await db.observation.bulkPut([b, c]);
		await db.case.put(caseRecord({ source: { type: 'observation', id: a.id } }));
		await expectInStep(db);

		await db.observation.update(a.id, {
			resolvedOnSpot: true,
			location: { lat: 33.6, lng: 117, accuracy: 5 }
		});
		await db.observation
			.where('id')
			.anyOf([b.id])
			.modify((o: Observation) => void (o.gridId = 'grid-x'));
		await expectInStep(db);
		expect((await digestsOf(db)).observation.find((o) => o.id === a.id)?.resolvedOnSpot).toBe(true);

		await db.observation.delete(c.id);
		await expectInStep(db);
		await db.observation.where('id').between(a.id, a.id, true, true).delete();
		await expectInStep(db);
		expect((await digestsOf(db)).observation.map((o) => o.id)).toEqual([b.id]);

		await db.observation.clear();
		await db.case.clear();
		expect(await digestsOf(db)).toEqual({ observation: [], case: [] });
		// What a clear left behind is merged away a moment later.
		await vi.waitFor(async () => expect(await db.digest.count()).toBe(0), { timeout: 5000 });
	});

	it('are written in the same transaction as the records: a write given up leaves neither', async () => {
		const db = openTestDb();
		const kept = observation();
		await db.observation.put(kept);
		await expect(
			db.transaction('rw', db.observation, async () => {
				await db.observation.put(observation());
				await db.observation.delete(kept.id);
				throw new Error('given up');
			})
		).rejects.toThrow('given up');
		expect((await digestsOf(db)).observation.map((o) => o.id)).toEqual([kept.id]);
		await expectInStep(db);
	});

	it('stay a few rows however many writes there were (segments are merged)', async () => {
		const db = openTestDb();
		for (let i = 0; i < maxSegments * 3; i++) await db.observation.put(observation());
		for (let i = 0; i < 10; i++) await db.case.put(caseRecord());
		// Merged a moment after the writes that made it due, in a transaction of its own.
		await vi.waitFor(async () => expect(await db.digest.count()).toBeLessThanOrEqual(maxSegments + 1 + 10), {
			timeout: 5000
		});
		await expectInStep(db);
	});

	it('are merged by the next connection when the one that wrote them closed first', async () => {
		const first = openTestDb('device-closed-early');
		for (let i = 0; i < maxSegments * 2; i++) await first.observation.put(observation());
		first.close();
		const next = openTestDb('device-closed-early');
		expect(await next.digest.count()).toBe(maxSegments * 2);
		await next.observation.put(observation());
		await vi.waitFor(async () => expect(await next.digest.count()).toBeLessThan(4), { timeout: 5000 });
		await expectInStep(next);
	});

	it('stay in step through hundreds of random writes, with the merges running between them', async () => {
		const db = openTestDb();
		let seed = 11;
		const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
		// A large base first, so that most merges take the recent writes only.
		const base = Array.from({ length: 5000 }, () => observation());
		await db.observation.bulkPut(base);
		const ids = base.map((o) => o.id);
		for (let step = 0; step < 400; step++) {
			const kind = random(10);
			if (kind < 4 || ids.length < 10) {
				const made = Array.from({ length: 1 + random(random(8) === 0 ? 30 : 4) }, () => observation());
				await db.observation.bulkPut(made);
				ids.push(...made.map((o) => o.id));
			} else if (kind < 7) {
				await db.observation.update(ids[random(ids.length)], { resolvedOnSpot: random(2) === 1 });
			} else if (kind < 9) {
				const gone = ids.splice(random(ids.length), 1 + random(3));
				await db.observation.bulkDelete(gone);
			}
			// In step at any moment, merged or not; before the clear, which would hide a wrong merge.
			if (step === 150 || step === 299) await expectInStep(db);
			if (step === 300) {
				await db.observation.clear();
				ids.length = 0;
			}
			// Now and then a pause, for a merge to run between the writes.
			if (random(25) === 0) await new Promise((resolve) => setTimeout(resolve, 600));
		}
		await expectInStep(db);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		await expectInStep(db);
		expect((await digestsOf(db)).observation.map((o) => o.id).sort()).toEqual([...ids].sort());
	}, 30_000);

	it('are filled from the records already on a device when the app that keeps them first opens it', async () => {
		const name = 'device-before-digests';
		const older = new Dexie(name);
		for (const { version, stores, upgrade } of deviceVersions.filter((v) => v.version < 3)) {
			const declared = older.version(version).stores(stores);
			if (upgrade) declared.upgrade(upgrade);
		}
		const records: Observation[] = [observation(), observation()];
		const cases: CaseRecord[] = [caseRecord()];
		await older.table('observation').bulkPut(records);
		await older.table('case').bulkPut(cases);
		older.close();

		const db = openTestDb(name);
		await expectInStep(db);
		expect((await digestsOf(db)).observation).toHaveLength(2);
		db.close();
	});

	it('keep to read-write transactions on digested tables: other writes and reads do not touch them', async () => {
		const db = openDeviceDb('device-other-writes');
		await db.meta.put({ key: 'cursor', value: '12' });
		await db.transaction('r', db.observation, () => db.observation.toArray());
		expect(await db.digest.count()).toBe(0);
		await db.delete();
	});
});
