// The bench's page, served under the built app's origin: the device's real pull code and the two
// baselines, each timed inside the page with performance.now().
import PouchDB from 'pouchdb-browser';
import Dexie from 'dexie';
import { deviceVersions, openDeviceDb } from '$lib/client/db';
import { SyncRunner } from '$lib/client/sync/runner';
import { collectionNames } from '$lib/sync/collections';

export interface PageTiming {
	ms: number;
	/** Changes pulled, records written or documents replicated. */
	count: number;
	/** Records the device database holds afterwards. */
	stored: number;
}

async function storedCount(db: Dexie): Promise<number> {
	const counts = await Promise.all(collectionNames.map((c) => db.table(c).count()));
	return counts.reduce((a, b) => a + b, 0);
}

/** One full sync of a fresh device (nothing to push; pull pages until `hasMore` is false). */
async function gridwalk(name: string): Promise<PageTiming> {
	const db = openDeviceDb(name);
	await db.open();
	const runner = new SyncRunner({ db, pollMs: 0 });
	const started = performance.now();
	const result = await runner.sync();
	const ms = performance.now() - started;
	if (!result.ok) throw new Error(`gridwalk sync failed: ${result.error.code}: ${result.error.message}`);
	const stored = await storedCount(db);
	db.close();
	return { ms, count: result.pulled, stored };
}

/** The same records the device pulled, copied (untimed) then `bulkPut` into a fresh database of the same layout. */
async function rawBulkPut(from: string, to: string): Promise<PageTiming> {
	const source = openDeviceDb(from);
	const records = await Promise.all(collectionNames.map((c) => source.table(c).toArray()));
	source.close();
	// Raw: the device's tables, declared as the app declares them, without the app's digests.
	const target = new Dexie(to);
	for (const { version, stores } of deviceVersions) target.version(version).stores(stores);
	await target.open();
	const started = performance.now();
	await target.transaction('rw', collectionNames, () =>
		Promise.all(collectionNames.map((c, i) => target.table(c).bulkPut(records[i])))
	);
	const ms = performance.now() - started;
	const stored = await storedCount(target);
	target.close();
	return { ms, count: records.reduce((sum, list) => sum + list.length, 0), stored };
}

/** PouchDB (IndexedDB adapter) replicating a peer database into a fresh local one. */
async function pouch(remote: string, name: string): Promise<PageTiming> {
	const local = new PouchDB(name);
	const started = performance.now();
	const result = await local.replicate.from(remote).catch((error: unknown) => {
		// PouchDB rejects with plain objects; keep what they say.
		throw new Error(`PouchDB replication failed: ${JSON.stringify(error)} ${String(error)}`);
	});
	const ms = performance.now() - started;
	const { doc_count } = await local.info();
	await local.close();
	return { ms, count: result.docs_written, stored: doc_count };
}

const bench = { gridwalk, rawBulkPut, pouch };
export type BenchPage = typeof bench;

declare global {
	interface Window {
		bench: BenchPage;
	}
}

window.bench = bench;
