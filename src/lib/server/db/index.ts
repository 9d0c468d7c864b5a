import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
/** Drizzle over either driver: the same queries run on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
	db: Db;
	kind: DbKind;
	close(): Promise<void>;
}

export interface DatabaseOptions {
	/** postgres://… to use PostgreSQL; absent for embedded PGlite. */
	url?: string;
	/** Where PGlite keeps its files; `memory://` for a throwaway database. */
	dataDir?: string;
	migrationsFolder?: string;
}

const defaultMigrations = path.resolve('drizzle');
/** Any fixed number: the key of the advisory lock that lets one instance migrate at a time. */
const migrationLock = 727_001;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
	const migrationsFolder = options.migrationsFolder ?? defaultMigrations;
	if (options.url) {
		const pool = new pg.Pool({ connectionString: options.url, max: 10 });
		// An idle connection dropped by the server must not crash the process; the pool reconnects.
		pool.on('error', () => {});
		const db = drizzlePg({ client: pool, schema, casing: 'snake_case' });
		const lockClient = await pool.connect();
		try {
			await lockClient.query('SELECT pg_advisory_lock($1)', [migrationLock]);
			await migratePg(drizzlePg({ client: lockClient, schema, casing: 'snake_case' }), { migrationsFolder });
		} finally {
			await lockClient.query('SELECT pg_advisory_unlock($1)', [migrationLock]).catch(() => {});
			lockClient.release();
		}
		return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
	}
	const dataDir = options.dataDir ?? 'data/pglite';
	if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
	const client = await PGlite.create(dataDir);
	const db = drizzlePglite({ client, schema, casing: 'snake_case' });
	await migratePglite(db, { migrationsFolder });
	return { db: db as unknown as Db, kind: 'pglite', close: () => client.close() };
}

/** The number of the newest migration applied: what /api/health reports as `schemaVersion`. */
export async function schemaVersion(db: Db): Promise<number> {
	const rows = await db.execute<{ n: number }>(
		sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`
	);
	return Number((rows as unknown as { rows: { n: number }[] }).rows?.[0]?.n ?? 0);
}
