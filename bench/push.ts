import type { Observation } from '../src/lib/domain/records';
import { clientBatchSize, protocolVersion, schemaVersion, type PushResponse } from '../src/lib/sync/protocol';
import {
	clientKey,
	dbLabel,
	insertAuditRows,
	insertObservations,
	makeObservations,
	placesById,
	readDistrict,
	Site,
	withNewIds,
	type DbKind,
	type Direct,
	type Place
} from './gridwalk';
import { chunks, Cleanup, progress, split, timed, type Figure } from './support';

export interface PushFigures {
	kind: DbKind;
	/** Through `POST /api/sync/push`, by device count. */
	gridwalk: Record<number, Figure>;
	/** Multi-row INSERTs straight into the same table of the same database. */
	raw: Record<number, Figure>;
	/** Batches sent again after the connection failed (as the device's runner would), by device count. */
	resent: Record<number, number>;
}

/**
 * On a fresh database of `kind`: `total` observation.create mutations through the real push endpoint,
 * from each device count in turn (each device pushing its share in sequential batches of 100, the devices
 * at once), then the raw INSERT baseline of the same rows, shaped the same way.
 * Returns the figures and the records pushed, for the PouchDB baseline.
 */
export async function benchPush(
	kind: DbKind,
	cleanup: Cleanup,
	total: number,
	deviceCounts: number[]
): Promise<{ figures: PushFigures; records: Observation[] }> {
	progress(`push on ${dbLabel[kind]}: starting the built server on a fresh database (demo district)`);
	const site = await Site.open(kind, cleanup, 'push');
	try {
		const district = await site.direct(readDistrict);
		await site.start();
		const records = makeObservations(total, district);
		const warmUp = (batches: number) => withNewIds(records.slice(0, batches * clientBatchSize));
		const figures: PushFigures = { kind, gridwalk: {}, raw: {}, resent: {} };
		// Untimed batches first, so no figure carries a cold start (PGlite's WebAssembly takes a while to warm).
		await pushFromDevice(site, warmUp(10));
		for (const devices of deviceCounts) {
			const shares = split(withNewIds(records), devices);
			let resent = 0;
			figures.gridwalk[devices] = await timed(total, async () => {
				const counts = await Promise.all(shares.map((share) => pushFromDevice(site, share)));
				resent = counts.reduce((a, b) => a + b, 0);
			});
			figures.resent[devices] = resent;
			const retries = resent ? ` (${resent} batch(es) sent again after a connection reset)` : '';
			progress(
				`push on ${dbLabel[kind]}, ${devices} device(s): ${figures.gridwalk[devices].ms} ms${retries}`
			);
		}
		const places = placesById(district);
		await site.direct(async (db) => {
			await rawInsert(db, warmUp(1), 1, places);
			for (const devices of deviceCounts) {
				figures.raw[devices] = await timed(total, () => rawInsert(db, withNewIds(records), devices, places));
				progress(`raw INSERT on ${dbLabel[kind]}, ${devices} connection(s): ${figures.raw[devices].ms} ms`);
			}
		});
		return { figures, records };
	} finally {
		await site.dispose();
	}
}

/**
 * One device pushing its records in order, a batch of 100 at a time, as the sync runner does: a batch
 * whose connection failed is sent again (the server skips what it already applied). Returns how many
 * batches were sent again.
 */
async function pushFromDevice(site: Site, records: Observation[]): Promise<number> {
	const identity = { clientGroupId: clientKey(), clientId: clientKey() };
	let id = 0;
	let resent = 0;
	for (const batch of chunks(records, clientBatchSize)) {
		const mutations = batch.map((args) => ({
			id: ++id,
			name: 'observation.create',
			args,
			clientTime: new Date().toISOString()
		}));
		const request = {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: site.cookie },
			body: JSON.stringify({ protocolVersion, schemaVersion, ...identity, mutations })
		};
		let response: Response | null = null;
		while (!response) {
			try {
				response = await fetch(`${site.url}/api/sync/push`, request);
			} catch (error) {
				if (++resent > 20) throw error;
			}
		}
		const text = await response.text();
		if (!response.ok) throw new Error(`push answered ${response.status}: ${text.slice(0, 400)}`);
		const answer = JSON.parse(text) as PushResponse;
		const refused = answer.results.find((result) => result.status !== 'applied');
		if (refused)
			throw new Error(`the server refused a bench mutation: ${JSON.stringify(refused).slice(0, 400)}`);
		if (answer.lastMutationId !== id)
			throw new Error(`push acknowledged ${answer.lastMutationId}, sent up to ${id}`);
	}
	return resent;
}

/**
 * The upper limit: the same rows into the same tables (each observation and the audit row the server
 * writes beside it), 100 per INSERT, one transaction per batch, `connections` writers at once.
 */
function rawInsert(db: Direct, records: Observation[], connections: number, places: Map<string, Place>) {
	return Promise.all(
		split(records, connections).map(async (share) => {
			const clientId = clientKey();
			for (const batch of chunks(share, clientBatchSize)) {
				await db.transaction(async (sql) => {
					await insertObservations(sql, batch, places);
					await insertAuditRows(sql, batch, clientId);
				});
			}
		})
	);
}
