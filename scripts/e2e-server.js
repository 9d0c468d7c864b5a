// Serves the built app for Playwright on a fresh, throwaway database, configured as `npm start` is
// (no ORIGIN), so the tests see what a person starting it on their machine sees:
//   node scripts/e2e-server.js pglite 4173     (embedded PGlite in a temporary folder)
//   node scripts/e2e-server.js postgres 4174   (a new database on TEST_DATABASE_URL's server)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const [kind, port] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(tmpdir(), `gridwalk-e2e-${kind}-`));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

if (kind === 'postgres') {
	const server = process.env.TEST_DATABASE_URL;
	if (!server) throw new Error('TEST_DATABASE_URL is needed for the postgres e2e server');
	const name = `gridwalk_e2e_${process.pid}`;
	const admin = new pg.Client({ connectionString: server });
	await admin.connect();
	await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(server);
	url.pathname = `/${name}`;
	process.env.DATABASE_URL = url.toString();
}

Object.assign(process.env, {
	PORT: port,
	HOST: '127.0.0.1',
	DATA_DIR: dataDir,
	GRIDWALK_DEMO: '1',
	DEMO_PASSWORD: process.env.E2E_DEMO_PASSWORD ?? 'demo-password-e2e',
	BODY_SIZE_LIMIT: '12M',
	// Many tests share one address; the per-address limit is proven in the integration suite.
	LOGIN_FAILURES_PER_ADDRESS: '1000',
	// The key the Open311 tests post with.
	OPEN311_API_KEYS: 'e2e-open311-key',
	LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn'
});
await import('../build/index.js');
