// `npm run bench`: gridwalk's sync throughput beside baselines measured in the same run (issue 3, item 6).
// It prints; it never asserts. Settings (environment):
//   BENCH_PUSH_RECORDS  mutations per push run (10,000)
//   BENCH_PULL_CHANGES  changes a fresh device pulls (100,000, as the issue asks; never fewer than the demo district's ~29,500)
//   BENCH_REVIEW_OBSERVATIONS, BENCH_REVIEW_CASES  the review part's district on PostgreSQL (1,000,000 and 100,000)
//   BENCH_ONLY          push | pull | pwa | field | review | map, comma-separated (all by default)
//   BENCH_MAP_OPENS     how many times the map part opens /map for its first-render figures (7)
//   BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432: the PostgreSQL server
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { dbLabel, postgresServerUrl, postgresUnreachable, withNewIds, type DbKind } from './gridwalk';
import { PouchPeer, pouchPush } from './pouch';
import { benchPull, type PullFigures } from './pull';
import { benchPush, type PushFigures } from './push';
import { benchField, type FieldFigures } from './field';
import { benchMap, type MapFigures } from './map';
import { benchPwa, type PwaFigures } from './pwa';
import { benchReview, reviewLines } from './review';
import { ratios, renderTable, writeResults, type Row, type Target } from './table';
import { Cleanup, formatCount, progress, type Figure } from './support';

const sizeFrom = (name: string, fallback: number) => {
	const value = Number(process.env[name]);
	return Number.isInteger(value) && value > 0 ? value : fallback;
};
const pushTotal = sizeFrom('BENCH_PUSH_RECORDS', 10_000);
const issuePullSize = 100_000;
const pullTotal = sizeFrom('BENCH_PULL_CHANGES', issuePullSize);
const mapOpens = sizeFrom('BENCH_MAP_OPENS', 7);
const parts = (process.env.BENCH_ONLY || 'push,pull,pwa,field,review,map').split(',');
const reviewSize = {
	observations: sizeFrom('BENCH_REVIEW_OBSERVATIONS', 1_000_000),
	cases: sizeFrom('BENCH_REVIEW_CASES', 100_000)
};
const deviceCounts = [1, 10];
const postgresTarget: Target = { vsRaw: 0.5, vsPouch: 2 };
const resultsFile = path.resolve('bench/results/latest.json');

interface PushPart {
	gridwalk: PushFigures[];
	pouch: Record<number, Figure>;
}

async function runPush(kinds: DbKind[], cleanup: Cleanup, peer: PouchPeer): Promise<PushPart> {
	const gridwalk: PushFigures[] = [];
	let pushed = null;
	for (const kind of kinds) {
		const { figures, records } = await benchPush(kind, cleanup, pushTotal, deviceCounts);
		gridwalk.push(figures);
		pushed = records;
	}
	const pouch: Record<number, Figure> = {};
	for (const devices of deviceCounts) {
		const docs = withNewIds(pushed!).map((record) => ({ _id: record.id, ...record }));
		pouch[devices] = await pouchPush(peer, cleanup, docs, devices);
		progress(`PouchDB push, ${devices} device(s): ${pouch[devices].ms} ms`);
	}
	return { gridwalk, pouch };
}

function pushRows({ gridwalk, pouch }: PushPart): Row[] {
	return gridwalk.flatMap((push) =>
		deviceCounts.map((devices) => ({
			measure: `push ${formatCount(pushTotal)} · ${devices} device${devices > 1 ? 's' : ''} · ${dbLabel[push.kind]}`,
			unit: 'docs/s',
			gridwalk: push.gridwalk[devices].perSecond,
			raw: push.raw[devices].perSecond,
			pouch: pouch[devices].perSecond,
			target: push.kind === 'postgres' ? postgresTarget : null,
			loads: [push.gridwalk[devices].load, push.raw[devices].load, pouch[devices].load]
		}))
	);
}

function pullRows(kinds: DbKind[], pull: PullFigures): Row[] {
	return kinds.map((kind) => ({
		measure: `pull ${formatCount(pull.changes)} · fresh device · ${dbLabel[kind]}`,
		unit: 'rec/s',
		gridwalk: pull.gridwalk[kind]?.perSecond ?? null,
		raw: pull.raw.perSecond,
		pouch: pull.pouch.perSecond,
		target: kind === 'postgres' ? postgresTarget : null,
		loads: [pull.gridwalk[kind]?.load ?? 0, pull.raw.load, pull.pouch.load]
	}));
}

async function main(cleanup: Cleanup) {
	const started = performance.now();
	const loadAtStart = loadavg();
	const notes: string[] = [];
	const kinds: DbKind[] = ['pglite'];
	const unreachable = await postgresUnreachable();
	if (unreachable)
		notes.push(`PostgreSQL skipped: ${masked(postgresServerUrl())} unreachable (${unreachable}).`);
	else kinds.push('postgres');

	const peer = parts.some((part) => part === 'push' || part === 'pull')
		? await PouchPeer.start(cleanup)
		: null;
	const push = peer && parts.includes('push') ? await runPush(kinds, cleanup, peer) : null;
	const pull = peer && parts.includes('pull') ? await benchPull(kinds, cleanup, peer, pullTotal) : null;
	const pwa = parts.includes('pwa') ? await benchPwa(cleanup, '/observe', 7) : null;
	const field = parts.includes('field') ? await benchField(cleanup) : null;
	const review = parts.includes('review') && !unreachable ? await benchReview(cleanup, reviewSize) : null;
	if (parts.includes('review') && unreachable) notes.push('review: needs PostgreSQL, skipped.');
	const map = parts.includes('map') ? await benchMap(cleanup, mapOpens) : null;
	const rows = [...(push ? pushRows(push) : []), ...(pull ? pullRows(kinds, pull) : [])];

	if (push) {
		notes.push(
			`push: ${formatCount(pushTotal)} observation.create through POST /api/sync/push, batches of 100, ` +
				`1 device, or 10 devices at once with ${formatCount(pushTotal / 10)} each (after 1,000 untimed mutations). ` +
				`raw: the same rows into the same tables (each observation and the audit row the server writes with it), one multi-row INSERT per table of 100 rows per transaction (10 connections for 10 devices). ` +
				`PouchDB: the same documents replicated from local LevelDB databases to express-pouchdb.`
		);
		for (const figures of push.gridwalk) {
			for (const devices of deviceCounts) {
				if (!figures.resent[devices]) continue;
				notes.push(
					`${dbLabel[figures.kind]}, ${devices} device(s): the server reset the connection under ` +
						`${figures.resent[devices]} push batch(es); each was sent again, as the device would (time included).`
				);
			}
		}
	}
	if (pull) {
		notes.push(
			`pull: a fresh device's full sync in Chromium, ${formatCount(pull.changes)} changes (the demo district ` +
				`plus ${formatCount(pull.seeded)} observations). raw: one Dexie bulkPut of the records the device ` +
				`stored. PouchDB: the same records as documents, replicated from express-pouchdb to IndexedDB.`,
			...pull.notes
		);
		if (pull.changes < issuePullSize) {
			notes.push(
				`The pull used ${formatCount(pull.changes)} changes, not the issue's ${formatCount(issuePullSize)} ` +
					`(BENCH_PULL_CHANGES=${issuePullSize} to run it).`
			);
		}
	}

	const worst = Math.max(0, ...rows.flatMap((row) => row.loads));
	const busyRows = rows.filter((row) => Math.max(...row.loads) > cpus().length).length;
	if (busyRows) {
		notes.push(
			`Other work competed for the ${cpus().length} cores: the 1-minute load average reached ${worst.toFixed(1)}, ` +
				`above ${cpus().length} in ${busyRows} of ${rows.length} rows; figures measured minutes apart can differ for that alone.`
		);
	}

	const seconds = Math.round((performance.now() - started) / 1000);
	const load = loadAtStart.map((l) => l.toFixed(1)).join(' ');
	console.log(
		`\ngridwalk sync bench: ${seconds} s on ${cpus().length} cores (load average ${load} at start)\n`
	);
	if (rows.length > 0) console.log(renderTable(rows));
	if (pwa) console.log(`\n${pwaLines(pwa).join('\n')}`);
	if (field) console.log(`\n${fieldLines(field).join('\n')}`);
	if (review) console.log(`\n${reviewLines(review).join('\n')}`);
	if (map) console.log(`\n${mapLines(map).join('\n')}`);
	console.log(`\n${notes.map((note) => `- ${note}`).join('\n')}`);

	await writeResults(resultsFile, {
		at: new Date().toISOString(),
		seconds,
		machine: {
			cores: cpus().length,
			cpu: cpus()[0]?.model,
			loadAtStart,
			loadAtEnd: loadavg(),
			node: process.version
		},
		rows: rows.map((row) => ({ ...row, ...ratios(row) })),
		figures: { push, pull, pwa, field, review, map },
		notes
	});
	console.log(`\nwritten to ${path.relative(process.cwd(), resultsFile)}`);
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
/** The q-quantile of `values` (nearest rank). */
const at = (values: number[], q: number) =>
	sorted(values)[Math.min(values.length - 1, Math.floor(q * values.length))];
const ms = (n: number) => `${Math.round(n)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** The page-opening figures beside their targets (issue 4: < 1 s offline at phone size; < 150 KB of JS). */
function pwaLines(pwa: PwaFigures): string[] {
	const fcp = pwa.runs.map((r) => r.fcp);
	const interactive = pwa.runs.map((r) => r.interactive);
	const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
	return [
		`${pwa.route} offline, warm service worker, Chromium at 360×640, ${pwa.runs.length} opens:`,
		`  first contentful paint  median ${ms(at(fcp, 0.5))}, worst ${ms(Math.max(...fcp))}  (target < 1 s: ${verdict(Math.max(...fcp) < 1000)})`,
		`  interactive             median ${ms(at(interactive, 0.5))}, worst ${ms(Math.max(...interactive))}  (target < 1 s: ${verdict(Math.max(...interactive) < 1000)})`,
		`  precache                ${pwa.precache.entries} files, ${kb(pwa.precache.bytes)}`,
		`  JavaScript of ${pwa.route}    ${pwa.routeJs.files} files, ${kb(pwa.routeJs.gzipBytes)} gzipped (${kb(pwa.routeJs.rawBytes)} raw)  (target < 150 KB: ${verdict(pwa.routeJs.gzipBytes < 150 * 1024)}); map code loaded: ${pwa.routeJs.mapCode ? 'yes' : 'no'}`
	];
}

/** Saving and listing on the phone beside their targets (issue 5: save p95 ≤ 20 ms; /mine first render ≤ 200 ms). */
function fieldLines({ save, mine }: FieldFigures): string[] {
	const ms1 = (n: number) => `${n.toFixed(1)} ms`;
	const p95 = at(save.samples, 0.95);
	const firstRow = mine.runs.map((r) => r.firstRow);
	const afterMount = mine.runs.map((r) => r.afterMount);
	return [
		`Field, Chromium at 360×640, PGlite, signed in as volunteer:`,
		`  save an observation (record + outbox, one transaction), ${formatCount(save.existing)} records on the device, ${save.samples.length} saves:`,
		`    p50 ${ms1(at(save.samples, 0.5))}, p95 ${ms1(p95)}, worst ${ms1(Math.max(...save.samples))}  (target p95 ≤ 20 ms: ${verdict(p95 <= 20)}; ${(p95 / 20).toFixed(2)}× the target)`,
		`    outbox afterwards: ${formatCount(save.queued)} entries (one per save)`,
		`  /mine with ${formatCount(mine.records)} of my records, ${mine.runs.length} opens, until the first row is painted:`,
		`    from navigation  median ${ms(at(firstRow, 0.5))}, worst ${ms(Math.max(...firstRow))}`,
		`    after the app mounted  median ${ms(at(afterMount, 0.5))}, worst ${ms(Math.max(...afterMount))}  (target ≤ 200 ms: ${verdict(Math.max(...afterMount) <= 200)}; ${(at(afterMount, 0.5) / 200).toFixed(2)}× the target at the median)`
	];
}

/** The map's figures beside their targets (issue 6: first render ≤ 1 s, panning ≤ 33 ms a frame at p95). */
function mapLines(map: MapFigures): string[] {
	const worst = Math.max(...map.firstRender);
	const median = at(map.firstRender, 0.5);
	const loads = map.loads.map((l) => l.toFixed(1)).join(', ');
	return [
		`/map at 1366×800 in Chromium, ${formatCount(map.grids)} grids, ${formatCount(map.buildings)} buildings, ` +
			`${formatCount(map.observations)} observations on the device, ${map.firstRender.length} opens ` +
			`(1-minute load average before each: ${loads}, on ${cpus().length} cores):`,
		`  first render: from navigation start to the first task after the first frame painted with the grids ` +
			`(filled), compounds, buildings and clustered records drawn`,
		`    from navigation   median ${ms(median)}, worst ${ms(worst)}  (target ≤ 1 s: ${verdict(worst <= 1000)} at the worst, ${verdict(median <= 1000)} at the median)`,
		`    after app mount   median ${ms(at(map.afterMount, 0.5))}, worst ${ms(Math.max(...map.afterMount))}`,
		`    of which: device records read at median ${ms(at(map.data, 0.5))}, Leaflet loaded at median ${ms(at(map.code, 0.5))} (from navigation)`,
		...map.pan.map(({ view, frames }) => {
			const p95 = at(frames, 0.95);
			return `  pan, ${view.padEnd(8)} ${frames.length} frames, median ${ms(at(frames, 0.5))}, p95 ${ms(p95)}, worst ${ms(Math.max(...frames))}  (target p95 ≤ 33 ms: ${verdict(p95 <= 33)})`;
		})
	];
}

/** The server URL without its password, for printing. */
function masked(url: string): string {
	const parsed = new URL(url);
	if (parsed.password) parsed.password = '***';
	return parsed.toString();
}

const cleanup = new Cleanup();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		console.log(`\n${signal}: cleaning up`);
		void cleanup.runAll().finally(() => process.exit(130));
	});
}
try {
	await main(cleanup);
} catch (error) {
	console.error(error);
	process.exitCode = 1;
} finally {
	await cleanup.runAll();
	// Keep-alive sockets and pools of servers already stopped must not hold the process open.
	process.exit();
}
