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
