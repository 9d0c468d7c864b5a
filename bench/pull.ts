import type { Page } from '@playwright/test';
import {
	maxPullLimit,
	protocolVersion,
	schemaVersion,
	type Change,
	type PullResponse
} from '../src/lib/sync/protocol';
import type { BenchPage, PageTiming } from './browser/pull-page';
import { buildBenchPage, launchChromium, openBenchPage } from './chromium';
import {
	clientKey,
	dbLabel,
	insertObservations,
	makeObservations,
	placesById,
	readDistrict,
	Site,
	type DbKind,
	type Direct
} from './gridwalk';
import type { Doc, PouchPeer } from './pouch';
import { chunks, Cleanup, figure, formatCount, progress, type Figure } from './support';

export interface PullFigures {
	/** Changes a fresh device pulls: the demo district plus the seeded observations. */
	changes: number;
	seeded: number;
	gridwalk: Partial<Record<DbKind, Figure>>;
	raw: Figure;
	pouch: Figure;
	/** The same pages fetched from Node, nothing stored. */
	serverOnly: Figure;
	notes: string[];
}

/** The sync runner's default page size. */
const devicePullLimit = maxPullLimit;

/**
 * A fresh device pulling `total` changes into IndexedDB in real Chromium, on each database kind, then
 * the baselines in the same browser: a raw Dexie `bulkPut` of the same records, and PouchDB replicating
 * the same records as documents from the peer. The last kind is where the baselines run.
 */
export async function benchPull(
	kinds: DbKind[],
	cleanup: Cleanup,
	peer: PouchPeer,
	total: number
): Promise<PullFigures> {
	const notes: string[] = [];
	const sites: Site[] = [];
	let seeded = 0;
	for (const kind of kinds) {
		progress(`pull on ${dbLabel[kind]}: a fresh database with ${formatCount(total)} changes to pull`);
		const site = await Site.open(kind, cleanup, 'pull');
		seeded = await site.direct((db) => seed(db, total));
		await site.start();
		sites.push(site);
	}
	const script = await buildBenchPage(cleanup, 'pull-page');
	const context = await launchChromium(cleanup);

	const gridwalk: PullFigures['gridwalk'] = {};
	let page: Page | null = null;
	for (const site of sites) {
		await page?.close();
		page = await openBenchPage(context, site, script, 'pull-page', 'bench');
		const timing = await run(page, 'gridwalk', 'gridwalk-device');
		gridwalk[site.kind] = figure(timing.count, timing.ms);
		progress(
			`gridwalk pull on ${dbLabel[site.kind]}: ${formatCount(timing.count)} changes in ${Math.round(timing.ms)} ms`
		);
		if (timing.stored !== timing.count)
			notes.push(`gridwalk on ${dbLabel[site.kind]} stored ${timing.stored} of ${timing.count} changes`);
	}

	const primary = sites.at(-1)!;
	progress(`loading the same records into the PouchDB peer (untimed)`);
	const started = performance.now();
	const changes = await pullEverything(primary);
	const serverOnly = figure(changes.length, performance.now() - started);
	notes.push(
		`The same pull fetched from Node on ${dbLabel[primary.kind]} (pages of ${devicePullLimit}, nothing stored): ` +
			`${formatCount(serverOnly.perSecond)} changes/s, the server's and the network's share of the device's pull.`
	);
	const remote = await peer.load('pull', changes.map(asDoc));
	const raw = await run(page!, 'rawBulkPut', 'gridwalk-device', 'raw-bulkput');
	progress(`raw Dexie bulkPut: ${formatCount(raw.count)} records in ${Math.round(raw.ms)} ms`);
	const pouch = await run(page!, 'pouch', remote, 'pouch-device');
	progress(`PouchDB replication: ${formatCount(pouch.count)} documents in ${Math.round(pouch.ms)} ms`);
	await page!.close();

	for (const [label, timing] of [
		['raw bulkPut', raw],
		['PouchDB', pouch]
	] as const) {
		if (timing.count !== changes.length || timing.stored !== changes.length) {
			notes.push(`${label} wrote ${timing.count} (stored ${timing.stored}) of ${changes.length} records`);
		}
	}
	return {
		changes: gridwalk[primary.kind]!.count,
		seeded,
		gridwalk,
		raw: figure(raw.count, raw.ms),
		pouch: figure(pouch.count, pouch.ms),
		serverOnly,
		notes
	};
}

/** Tops the demo district up with observations so that a fresh device has `total` changes to pull. */
async function seed(db: Direct, total: number): Promise<number> {
	const district = await readDistrict(db);
	const tables = await db.query<{ table_name: string }>(
		`SELECT table_name FROM information_schema.columns
		WHERE table_schema = 'public' AND column_name = 'sync_version' ORDER BY table_name`
	);
	let present = 0;
	for (const { table_name } of tables) {
		const [{ n }] = await db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM "${table_name}" WHERE deleted_at IS NULL`
		);
		present += n;
	}
	const records = makeObservations(Math.max(0, total - present), district);
	const places = placesById(district);
	for (const batch of chunks(records, 1000))
		await db.transaction((sql) => insertObservations(sql, batch, places));
	return records.length;
}

/** Every change a fresh device gets, pulled as `admin` from Node: the records the baselines use. */
async function pullEverything(site: Site): Promise<Change[]> {
	const clientGroupId = clientKey();
	const changes: Change[] = [];
	let cursor: string | null = null;
	for (;;) {
		const response = await fetch(`${site.url}/api/sync/pull`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: site.cookie },
			body: JSON.stringify({ protocolVersion, schemaVersion, clientGroupId, cursor, limit: devicePullLimit })
		});
		if (!response.ok) throw new Error(`pull answered ${response.status}: ${await response.text()}`);
		const page = (await response.json()) as PullResponse;
		changes.push(...page.changes);
		cursor = page.cursor;
		if (!page.hasMore) return changes;
	}
}

/** The record as a document: its JSON as it is, plus `_id` and the collection it belongs to. */
function asDoc(change: Change): Doc {
	if (change.op !== 'put') throw new Error('a fresh device gets no deletions');
	return {
		...change.record,
		_id: `${change.collection}/${change.id}/${change.version}`,
		collection: change.collection
	};
}

function run<K extends keyof BenchPage>(
	page: Page,
	name: K,
	...args: Parameters<BenchPage[K]>
): Promise<PageTiming> {
	return page.evaluate(
		([name, args]) => (window.bench[name] as (...a: string[]) => Promise<PageTiming>)(...args),
		[name, args as string[]] as const
	);
}
