import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DbKind } from '$lib/server/db';

/**
 * The databases every integration suite runs against: embedded PGlite always, and PostgreSQL when
 * TEST_DATABASE_URL is set (CI sets it). Each call gets a fresh, empty database.
 */
export interface TestDatabaseKind {
	kind: DbKind;
	open(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
	/** The URL of the fresh PostgreSQL database, for a second connection; absent on PGlite. */
	url?: string;
	/** A second start against the same storage, as after a restart. */
	reopen(): Promise<Database>;
	drop(): Promise<void>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

async function freshPostgres(): Promise<string> {
	const name = `gridwalk_test_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(serverUrl!);
	url.pathname = `/${name}`;
	return url.toString();
}

async function dropPostgres(url: string) {
	const name = new URL(url).pathname.slice(1);
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await admin.end();
}

const pglite: TestDatabaseKind = {
	kind: 'pglite',
	async open() {
		const { mkdtempSync, rmSync } = await import('node:fs');
		const { tmpdir } = await import('node:os');
		const path = await import('node:path');
		const dataDir = mkdtempSync(path.join(tmpdir(), 'gridwalk-pglite-'));
		const database = await openDatabase({ dataDir });
		return {
			...database,
			reopen: () => openDatabase({ dataDir }),
			drop: async () => {
				await database.close().catch(() => {});
				rmSync(dataDir, { recursive: true, force: true });
			}
		};
	}
};

const postgres: TestDatabaseKind = {
	kind: 'postgres',
	async open() {
		const url = await freshPostgres();
		const database = await openDatabase({ url });
		return {
			...database,
			url,
			reopen: () => openDatabase({ url }),
			drop: async () => {
				await database.close().catch(() => {});
				await dropPostgres(url);
			}
		};
	}
};

export const databaseKinds: TestDatabaseKind[] = serverUrl ? [pglite, postgres] : [pglite];
