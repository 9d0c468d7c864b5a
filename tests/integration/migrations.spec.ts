import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaVersion, type Database } from '$lib/server/db';
import { databaseKinds, type TestDatabase } from './databases';

/** Every committed migration, as drizzle-kit's journal lists them. */
const committedMigrations = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')).entries.length;

describe.each(databaseKinds)('migrations on $kind', ({ open }) => {
	let database: TestDatabase;
	let restarted: Database | undefined;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(async () => {
		await restarted?.close();
		await database.drop();
	});

	it('creates every table and the version counter row', async () => {
		const result = await database.db.execute<{ table_name: string }>(
			sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`
		);
		const tables = (result as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
		expect(tables).toEqual(
			expect.arrayContaining([
				'users',
				'sessions',
				'cases',
				'case_events',
				'sync_clients',
				'audit_log',
				'blobs'
			])
		);
		const counter = await database.db.execute(sql`SELECT value FROM sync_counter WHERE id = 1`);
		expect((counter as unknown as { rows: unknown[] }).rows).toHaveLength(1);
		expect(await schemaVersion(database.db)).toBe(committedMigrations);
	});

	it('a second start is a no-op that keeps the data', async () => {
		await database.db.execute(sql`UPDATE sync_counter SET value = 41 WHERE id = 1`);
		await database.close();
		const again = (restarted = await database.reopen());
		const counter = await again.db.execute<{ value: string }>(
			sql`SELECT value FROM sync_counter WHERE id = 1`
		);
		expect(Number((counter as unknown as { rows: { value: string }[] }).rows[0].value)).toBe(41);
		expect(await schemaVersion(again.db)).toBe(committedMigrations);
	});
});

describe('migration 0006 on a database made before reference codes', () => {
	it('gives existing compounds, grids and buildings a code unique within their parent', async () => {
		const { cpSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
		const { tmpdir } = await import('node:os');
		const path = await import('node:path');
		const { openDatabase } = await import('$lib/server/db');
		const root = mkdtempSync(path.join(tmpdir(), 'gridwalk-0006-'));
		const before = path.join(root, 'drizzle');
		cpSync('drizzle', before, { recursive: true });
		const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8'));
		journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < 6);
		writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify(journal));
		const dataDir = path.join(root, 'pglite');
		const old = await openDatabase({ dataDir, migrationsFolder: before });
		const ring = `'{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}'`;
		const statements = `INSERT INTO communities (id, name, code, sync_version) VALUES
				('00000000-0000-7000-8000-000000000001', 'north', '341302001001', 1);
			INSERT INTO compounds (id, community_id, name, centroid, sync_version) VALUES
				('00000000-0000-7000-8000-000000000011', '00000000-0000-7000-8000-000000000001', 'A', '{"lat":0,"lng":0}', 2),
				('00000000-0000-7000-8000-000000000012', '00000000-0000-7000-8000-000000000001', 'B', '{"lat":0,"lng":0}', 3);
			INSERT INTO grids (id, community_id, compound_ids, name, boundary, sync_version) VALUES
				('00000000-0000-7000-8000-000000000021', '00000000-0000-7000-8000-000000000001', '[]', 'G', ${ring}, 4);
			INSERT INTO buildings (id, compound_id, grid_id, name, point, sync_version) VALUES
				('00000000-0000-7000-8000-000000000031', '00000000-0000-7000-8000-000000000011', '00000000-0000-7000-8000-000000000021', '1号楼', '{"lat":0,"lng":0}', 5),
				('00000000-0000-7000-8000-000000000032', '00000000-0000-7000-8000-000000000011', '00000000-0000-7000-8000-000000000021', '2号楼', '{"lat":0,"lng":0}', 6)`;
		// One statement at a time: the extended query protocol takes one per query.
		for (const statement of statements.split(';')) await old.db.execute(sql.raw(statement));
		await old.close();
		const migrated = await openDatabase({ dataDir });
		try {
			const codes = async (table: string) =>
				(
					(await migrated.db.execute(sql.raw(`SELECT code FROM ${table} ORDER BY id`))) as unknown as {
						rows: { code: string }[];
					}
				).rows.map((r) => r.code);
			expect(await codes('compounds')).toEqual(['341302001001001', '341302001001002']);
			expect(await codes('grids')).toEqual(['W01']);
			expect(await codes('buildings')).toEqual(['1', '2']);
		} finally {
			await migrated.close();
			rmSync(root, { recursive: true, force: true });
		}
	});
});
