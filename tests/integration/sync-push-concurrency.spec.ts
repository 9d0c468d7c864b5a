import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '$lib/server/db';
import { caseIdFor } from '$lib/server/sync/caseOpening';
import type { PushResponse } from '$lib/sync/protocol';
import { databaseKinds, type TestDatabase } from './databases';
import {
	create,
	device,
	feedbackIn,
	observationIn,
	seedDistrict,
	surveyIn,
	transition,
	update,
	visitIn,
	type District,
	type Mutation,
	type Person
} from './sync-fixtures';

/** Every table whose rows carry a sync version, as pulls read them. */
const syncedTables = [
	'communities',
	'compounds',
	'grids',
	'buildings',
	'teams',
	'checklist_templates',
	'users',
	'patrols',
	'observations',
	'feedback',
	'visits',
	'surveys',
	'cases',
	'case_events'
];

interface VersionedRow {
	tbl: string;
	id: string;
	v: number;
}

/** All rows above `cursor` across every synced table in ONE statement, so in one snapshot, in version order. */
async function rowsAbove(db: Db, cursor: number): Promise<VersionedRow[]> {
	const union = sql.join(
		syncedTables.map(
			(table) =>
				sql`SELECT ${table} AS tbl, id::text AS id, sync_version AS v FROM ${sql.identifier(table)} WHERE sync_version > ${cursor}`
		),
		sql` UNION ALL `
	);
	const result = (await db.execute(sql`${union} ORDER BY v`)) as unknown as { rows: VersionedRow[] };
	return result.rows.map((row) => ({ ...row, v: Number(row.v) }));
}

const key = (row: VersionedRow) => `${row.tbl}:${row.id}@${row.v}`;

describe.each(databaseKinds)('sync push: concurrent pushes on $kind', ({ open }) => {
	let database: TestDatabase;
	let d: District;
	/** Separate connection pools on PostgreSQL, as separate server instances would have. */
	let writers: Database[];
	let reader: Database;
	let extra: Database[] = [];
	beforeAll(async () => {
		database = await open();
		d = await seedDistrict(database.db);
		if (database.url) {
			extra = [
				await openDatabase({ url: database.url }),
				await openDatabase({ url: database.url }),
				await openDatabase({ url: database.url })
			];
			writers = [database, extra[0], extra[1]];
			reader = extra[2];
		} else {
			writers = [database];
			reader = database;
		}
	});
	afterAll(async () => {
		for (const pool of extra) await pool.close();
		await database.drop();
	});

	it('hands out every version once, and a reader moving its cursor never skips a committed row', async () => {
		const db = database.db;
		const start = Math.max(0, ...(await rowsAbove(db, 0)).map((row) => row.v));
		// Cases several people will race to triage.
		const shared = Array.from({ length: 5 }, () => observationIn(d));
		await device(db, d.actors.volunteer).push(...shared.map((o) => create('observation', o)));
		const sharedCases = shared.map((o) => caseIdFor('observation', o.id));

		const rounds = 5;
		const south = { compoundId: d.compounds.sA, buildingId: d.buildings.bSA };
		const work: Record<
			Exclude<Person, 'otherLeader' | 'southCoordinator' | 'retiredCoordinator'>,
			(round: number) => Mutation[]
		> = {
			volunteer: () => {
				const mine = observationIn(d, { resolvedOnSpot: true });
				return [
					create('observation', observationIn(d)),
					create('observation', mine),
					update('observation', mine.id, { note: 'edited' }),
					update('observation', mine.id, { severity: 'high' })
				];
			},
			leader: (round) => [
				create('visit', visitIn(d)),
				transition(sharedCases[round], 'reported', 'triaged'),
				create('feedback', feedbackIn(d))
			],
			coordinator: (round) => [
				create('feedback', feedbackIn(d, { kind: 'request' })),
				transition(sharedCases[round], 'reported', 'triaged'),
				create('survey', surveyIn(d))
			],
			admin: (round) => [
				transition(sharedCases[round], 'reported', 'triaged'),
				create('observation', observationIn(d, south))
			],
			southVolunteer: () => [
				create('observation', observationIn(d, south)),
				create('observation', observationIn(d, { ...south, resolvedOnSpot: true }))
			],
			southLeader: () => [
				create('feedback', feedbackIn(d, south)),
				create('visit', visitIn(d, { gridId: d.grids.gSA, buildingId: d.buildings.bSA }))
			]
		};

		let writing = true;
		let fruitfulPolls = 0;
		const seen = new Map<number, string>();
		const duplicates: string[] = [];
		let cursor = start;
		const record = (rows: VersionedRow[]) => {
			for (const row of rows) {
				const earlier = seen.get(row.v);
				if (earlier && earlier !== key(row)) duplicates.push(`${earlier} / ${key(row)}`);
				seen.set(row.v, key(row));
				cursor = Math.max(cursor, row.v);
			}
		};
		const poller = (async () => {
			while (writing) {
				const rows = await rowsAbove(reader.db, cursor);
				if (rows.length) fruitfulPolls++;
				record(rows);
				await new Promise((resolve) => setTimeout(resolve, 1));
			}
		})();

		const responses: PushResponse[] = [];
		const retried: [PushResponse, PushResponse][] = [];
		await Promise.all(
			Object.entries(work).map(async ([person, batchFor], index) => {
				const app = device(db, d.actors[person as Person]);
				for (let round = 0; round < rounds; round++) {
					const body = app.batch(batchFor(round));
					const on = (n: number) => writers[(index + round + n) % writers.length].db;
					if (person === 'volunteer') {
						// The same batch twice at once, as after a timeout while the first was still running.
						const pair = await Promise.all([app.send(body, on(0)), app.send(body, on(1))]);
						retried.push(pair);
						responses.push(...pair);
					} else {
						responses.push(await app.send(body, on(0)));
					}
				}
			})
		);
		writing = false;
		await poller;
		record(await rowsAbove(reader.db, cursor));

		// Every committed row the reader should have seen, it saw, at the version it now has.
		const all = await rowsAbove(db, start);
		const missed = all.filter((row) => seen.get(row.v) !== key(row));
		expect(missed).toEqual([]);
		expect(duplicates).toEqual([]);
		expect(new Set(all.map((row) => row.v)).size).toBe(all.length);
		// On PostgreSQL the reader has its own connections and polls while the writers commit.
		if (database.url) expect(fruitfulPolls).toBeGreaterThan(1);

		const versions = responses.flatMap((r) =>
			r.results.flatMap((result) => (result.status === 'applied' && result.version ? [result.version] : []))
		);
		expect(
			responses
				.flatMap((r) => r.results)
				.filter((r) => r.status === 'rejected' && r.code !== 'STALE_TRANSITION')
		).toEqual([]);

		// Each raced case was triaged by exactly one person; the others were told it had moved on.
		for (const id of sharedCases) {
			const events = await db.execute(
				sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${id} AND "to" = 'triaged'`
			);
			expect((events as unknown as { rows: { n: number }[] }).rows[0].n).toBe(1);
		}
		const stale = responses.flatMap((r) => r.results).filter((r) => r.status === 'rejected');
		expect(stale).toHaveLength(rounds * 2);

		// The doubled batch took effect once: one answer applied it, the other found it done.
		for (const [a, b] of retried) {
			expect(a.lastMutationId).toBe(b.lastMutationId);
			const fresh = [a, b].filter((r) =>
				r.results.some((result) => result.status === 'applied' && result.version)
			);
			expect(fresh).toHaveLength(1);
		}
		expect(new Set(versions).size).toBe(versions.length);
	});
});
