import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readConfig, type Config } from './config';
import { openDatabase, schemaVersion, type Database } from './db';
import { prepareAccounts } from './bootstrap';
import { log } from './log';
import { purgeRejections } from './sync/rejections';
import { purgeTombstones, tombstoneDays } from './sync/tombstones';

/** What one running server holds: its configuration and its open database. */
export interface App {
	config: Config;
	database: Database;
	schemaVersion: number;
	version: string;
}

let started: Promise<App> | undefined;

/** Opens the database, runs migrations and prepares the first accounts; safe to call twice. */
export function startApp(env: Record<string, string | undefined>): Promise<App> {
	started ??= (async () => {
		const config = readConfig(env);
		const database = await openDatabase({
			url: config.databaseUrl,
			dataDir: path.join(config.dataDir, 'pglite')
		});
		await prepareAccounts(database.db, config);
		const app: App = {
			config,
			database,
			schemaVersion: await schemaVersion(database.db),
			version: appVersion()
		};
		log.info({ db: database.kind, schemaVersion: app.schemaVersion, version: app.version }, 'gridwalk ready');
		scheduleTombstonePurge(database);
		closeOnShutdown(database);
		return app;
	})();
	started.catch(() => (started = undefined));
	return started;
}

export function getApp(): Promise<App> {
	if (!started) throw new Error('gridwalk has not started');
	return started;
}

function appVersion(): string {
	try {
		return JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')).version;
	} catch {
		return '0.0.0';
	}
}

/**
 * Tombstones older than 90 days are purged once a day (devices behind the horizon then reload), and
 * the refusals remembered for retries as old as them.
 */
function scheduleTombstonePurge(database: Database) {
	const purge = () =>
		purgeTombstones(database.db)
			.then((result) => result.purged && log.info(result, 'tombstones purged'))
			.then(() => purgeRejections(database.db, tombstoneDays))
			.then((purged) => purged && log.info({ purged }, 'remembered refusals purged'))
			.catch((err) => log.warn({ err }, 'tombstone purge failed'));
	setInterval(purge, 86_400_000).unref();
}

/**
 * adapter-node stops taking requests on SIGTERM/SIGINT, lets running ones finish, then emits
 * `sveltekit:shutdown`: the database is closed then (PGlite writes its files, the pool ends), so the
 * process exits by itself and nothing half-written is left behind.
 */
function closeOnShutdown(database: Database) {
	process.once('sveltekit:shutdown', () => {
		database
			.close()
			.then(() => log.info('database closed'))
			.catch((err) => log.warn({ err }, 'database close failed'));
	});
}
