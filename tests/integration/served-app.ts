import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '$lib/server/db';

/**
 * What the route handlers reach through `getApp()` in specs that call them directly: the database under
 * test and a blob folder. Kept apart from device-fixtures.ts, which imports the routes, because the mock
 * of `$lib/server/app` must not wait on them:
 *   vi.mock('$lib/server/app', async () => ({ getApp: (await import('./served-app')).servedApp }));
 */
export const served: { database: Database | null } = { database: null };

interface ServedApp {
	database: Database;
	config: { dataDir: string; maxPhotoBytes: number };
}

let app: ServedApp | null = null;

/** One app per database, the same object on every call (the blob store is opened once per app). */
export async function servedApp(): Promise<ServedApp> {
	if (!served.database) throw new Error('no database is being served');
	if (app?.database !== served.database) {
		const dataDir = mkdtempSync(path.join(tmpdir(), 'gridwalk-served-'));
		app = { database: served.database, config: { dataDir, maxPhotoBytes: 10 * 1024 * 1024 } };
	}
	return app;
}

/** Stops serving the database and removes the blob folder. */
export function stopServing(): void {
	if (app) rmSync(app.config.dataDir, { recursive: true, force: true });
	app = null;
	served.database = null;
}
