import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database, type DbKind } from '$lib/server/db';

/**
 * Where a fault run's server keeps its data: a fresh PGlite directory, or a fresh PostgreSQL database
 * when TEST_DATABASE_URL is set. The test reads it directly once the run is over.
 */
export interface ServerStorage {
	kind: DbKind;
	/** What the server process needs in its environment to use this storage. */
	env: Record<string, string>;
	/** Opens the database in this process; PGlite only while the server is stopped (one writer). */
	open(): Promise<Database>;
	drop(): Promise<void>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

async function adminQuery(query: string): Promise<void> {
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	try {
		await admin.query(query);
	} finally {
		await admin.end();
	}
}

function pgliteStorage(): ServerStorage {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'gridwalk-faults-'));
	return {
		kind: 'pglite',
		env: { DATA_DIR: dataDir },
		open: () => openDatabase({ dataDir: path.join(dataDir, 'pglite') }),
		drop: async () => rmSync(dataDir, { recursive: true, force: true })
	};
}

async function postgresStorage(): Promise<ServerStorage> {
	const name = `gridwalk_faults_${randomBytes(6).toString('hex')}`;
	await adminQuery(`CREATE DATABASE ${name}`);
	const url = new URL(serverUrl!);
	url.pathname = `/${name}`;
	return {
		kind: 'postgres',
		env: { DATABASE_URL: url.toString() },
		open: () => openDatabase({ url: url.toString() }),
		drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
	};
}

export const storageKinds: { kind: DbKind; create(): Promise<ServerStorage> }[] = [
	{ kind: 'pglite', create: async () => pgliteStorage() },
	...(serverUrl ? [{ kind: 'postgres' as const, create: postgresStorage }] : [])
];

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}
