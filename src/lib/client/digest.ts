import {
	cmp,
	type Dexie,
	type DBCore,
	type DBCoreKeyRange,
	type DBCoreMutateRequest,
	type DBCoreMutateResponse,
	type Middleware,
	type Table,
	type Transaction
} from 'dexie';
import type { CollectionName, RecordOf } from '$lib/sync/collections';

/**
 * Digests: a few fields of every record of some collections, kept packed beside the records, so that a
 * page that needs those fields of tens of thousands of records (the map) reads a few rows instead of
 * every record. IndexedDB's cost is per row: 20,000 whole observations take Chromium about 250 ms to
 * read, the same facts packed in a few rows about 30 ms.
 *
 * The digests are a log: every write to a digested collection appends one segment holding the digests
 * of the records it wrote and the ids it removed, in the SAME transaction as the records (a Dexie
 * middleware widens the transaction), so the digests can never disagree with the records. A moment
 * after the appended segments pass `maxSegments`, in transactions of their own (not in a write a person
 * waits for), they are merged into few `recent` ones, and once those pass a quarter of the `base`,
 * everything into a new base: a read stays a few rows, and each write costs a bounded share of a rewrite.
 */

/** The fields kept for each digested collection (its `id` always among them). */
export type DigestFields = Partial<Record<CollectionName, readonly string[]>>;

/** A digested record: the fields `F` keeps of collection `C`. */
export type DigestOf<C extends CollectionName, F extends readonly string[]> = Pick<
	RecordOf<C>,
	Extract<F[number], keyof RecordOf<C>>
>;

/** Every digested collection's digests, by collection. */
export type Digests<F extends DigestFields> = {
	[C in keyof F & CollectionName]: DigestOf<C, NonNullable<F[C]>>[];
};

/** One segment of the log: some of what one write (or a merge) did to one collection's digests. */
export interface DigestSegment {
	seq?: number;
	collection: CollectionName;
	tier: Tier;
	/** JSON of `Packed`. */
	packed: string;
}

/**
 * A segment's contents: digests as rows of values in the order of `fields` (a field the record lacks is
 * null: the records' optional fields are all nullable), and the ids removed.
 */
interface Packed {
	fields: readonly string[];
	put: unknown[][];
	gone: string[];
	/** The ids in this key range removed (a `clear`, or a delete by a range of ids). */
	dropped?: DBCoreKeyRange;
}

/**
 * Where a segment stands: `base`, written by a full merge (most of the digests); `recent`, written by a
 * merge of the recent writes only (a few); `appended`, written by a write. Merges of the recent writes
 * keep a person's save from waiting for a rewrite of tens of thousands of digests.
 */
export const tiers = { base: 0, recent: 1, appended: 2 } as const;
export type Tier = (typeof tiers)[keyof typeof tiers];

export const digestTable = 'digest';
/** Dexie's declaration of the digest table: segments in the order they were written, by collection and tier. */
export const digestStore = '++seq, [collection+tier]';
/** Appended segments per collection beyond which they are merged with the recent ones. */
export const maxSegments = 32;
/**
 * The share of the base that the recent writes may grow to before everything is merged into a new base:
 * a long sync rewrites each digest a few times in all, and a read reads at most that share more.
 */
export const maxRecentShare = 0.25;
/** How long after the writes that made a merge due it runs (in its own transaction, off the writes' path). */
export const mergeDelayMs = 500;
/**
 * The most characters of digests a segment holds. Chromium moves a value of over 64 KB out of its
 * database into a file of its own, which a page then waits long for while it loads: a segment stays
 * below that, even in two-byte characters (a Chinese case title makes the whole string two-byte).
 */
export const segmentChars = 30_000;

type Row = Record<string, unknown>;

/**
 * The segments that hold `put` and `gone`, each under `segmentChars`; `gone` in the last. Exported for
 * tests that write records straight into IndexedDB, behind Dexie: they append these beside them.
 */
export function digestSegments(
	collection: CollectionName,
	fields: readonly string[],
	tier: Tier,
	put: readonly Row[],
	gone: readonly string[] = []
): DigestSegment[] {
	const made: DigestSegment[] = [];
	const head = JSON.stringify(fields);
	let rows: string[] = [];
	let chars = 0;
	const close = (ids: readonly string[]) => {
		const packed = `{"fields":${head},"put":[${rows.join(',')}],"gone":${JSON.stringify(ids)}}`;
		made.push({ collection, tier, packed });
		rows = [];
		chars = 0;
	};
	for (const row of put) {
		const text = JSON.stringify(fields.map((f) => row[f] ?? null));
		if (chars + text.length > segmentChars && rows.length) close([]);
		rows.push(text);
		chars += text.length + 1;
	}
	if (rows.length || gone.length) close(gone);
	return made;
}

function rowOf(fields: readonly string[], values: readonly unknown[]): Row {
	const row: Row = {};
	for (let i = 0; i < fields.length; i++) row[fields[i]] = values[i];
	return row;
}

/**
 * Plays segments (oldest first): each id's last digest, and the ids whose last word was their removal
 * (kept for a merge of the recent segments only: the base, left out, may still hold them).
 */
function replay(segments: readonly DigestSegment[]): { digests: Map<string, Row>; gone: Set<string> } {
	const digests = new Map<string, Row>();
	const removed = new Set<string>();
	for (const segment of segments) {
		const { fields, put, gone, dropped } = JSON.parse(segment.packed) as Packed;
		for (const values of put) {
			const row = rowOf(fields, values);
			digests.set(row.id as string, row);
			removed.delete(row.id as string);
		}
		for (const id of gone) {
			digests.delete(id);
			removed.add(id);
		}
		// Only a merge of everything meets a dropped range (see `merge`).
		if (dropped) for (const id of [...digests.keys()]) if (inRange(dropped, id)) digests.delete(id);
	}
	return { digests, gone: removed };
}

/** The digests of every digested collection, from the digest table (in a transaction of the caller's). */
export async function readDigests<F extends DigestFields>(
	table: Table<DigestSegment, number>,
	fieldsOf: F
): Promise<Digests<F>> {
	const segments = await table.toArray();
	const byCollection = new Map<string, DigestSegment[]>();
	for (const segment of segments) {
		const list = byCollection.get(segment.collection) ?? [];
		list.push(segment);
		byCollection.set(segment.collection, list);
	}
	const digests: Record<string, Row[]> = {};
	for (const collection of Object.keys(fieldsOf)) {
		digests[collection] = [...replay(byCollection.get(collection) ?? []).digests.values()];
	}
	return digests as Digests<F>;
}

/**
 * Writes every digested collection's digests afresh from its records: for the device-database upgrade
 * that brings in the digest table, or one that changes the fields kept.
 */
export async function fillDigests(tx: Transaction, fieldsOf: DigestFields): Promise<void> {
	const digests = tx.table<DigestSegment, number>(digestTable);
	await digests.clear();
	for (const [collection, fields] of Object.entries(fieldsOf) as [CollectionName, string[]][]) {
		const records = await tx.table<Row>(collection).toArray();
		await digests.bulkAdd(digestSegments(collection, fields, tiers.base, records));
	}
}

function inRange(range: DBCoreKeyRange, key: unknown): boolean {
	// Dexie's DBCoreRangeType, a const enum (not importable here): 1 equal, 2 range, 3 any, 4 never.
	switch (range.type as number) {
		case 1:
			return cmp(key, range.lower) === 0;
		case 3:
			return true;
		case 4:
			return false;
	}
	const fromLower = range.lower === undefined ? 1 : cmp(key, range.lower);
	const toUpper = range.upper === undefined ? -1 : cmp(key, range.upper);
	return (range.lowerOpen ? fromLower > 0 : fromLower >= 0) && (range.upperOpen ? toUpper < 0 : toUpper <= 0);
}

/**
 * Merges a collection's segments when due: the appended ones past `maxSegments` are merged with the
 * recent ones into few recent ones; when the recent writes have grown past `maxRecentShare` of the base,
 * or `always` (after a clear), everything is merged into a new base. The segments are read in one
 * transaction and the new ones made outside any (writes, a person's save among them, need not wait for
 * that); the swap is one more transaction, given up if a write came in between (true: then the caller
 * tries again later).
 */
async function merge(
	db: Dexie,
	collection: CollectionName,
	fields: readonly string[],
	always: boolean
): Promise<boolean> {
	const log = db.table<DigestSegment, number>(digestTable);
	const upTo = (from: Tier, to: Tier) =>
		log.where('[collection+tier]').between([collection, from], [collection, to], true, true);
	const read = await db.transaction('r', log, async () => {
		const appended = await upTo(tiers.appended, tiers.appended).count();
		if (!always && appended <= maxSegments) return null;
		const recent = await upTo(tiers.recent, tiers.appended).toArray();
		const recentChars = recent.reduce((sum, segment) => sum + segment.packed.length, 0);
		const baseChars = (await upTo(tiers.base, tiers.base).count()) * segmentChars;
		const whole =
			always ||
			recentChars > baseChars * maxRecentShare ||
			recent.some((segment) => (JSON.parse(segment.packed) as Packed).dropped);
		return whole ? { whole, old: await upTo(tiers.base, tiers.appended).toArray() } : { whole, old: recent };
	});
	if (!read) return false;
	const old = read.old.sort((a, b) => a.seq! - b.seq!);
	const { digests, gone } = replay(old);
	const made = read.whole
		? digestSegments(collection, fields, tiers.base, [...digests.values()])
		: digestSegments(collection, fields, tiers.recent, [...digests.values()], [...gone]);
	const seqs = old.map((segment) => segment.seq!);
	return db.transaction('rw', log, async () => {
		const now = (await upTo(read.whole ? tiers.base : tiers.recent, tiers.appended).primaryKeys()).sort(
			(a, b) => a - b
		);
		if (now.length !== seqs.length || now.some((seq, i) => seq !== seqs[i])) return true;
		await log.bulkDelete(seqs);
		await log.bulkAdd(made);
		return false;
	});
}

/**
 * The Dexie middleware that keeps `db`'s digests: every read-write transaction on a digested collection
 * also takes the digest table, and every write to such a collection appends its segment there. Merges
 * run a moment after the writes that made them due, in transactions of their own: looking (two counts)
 * and rewriting are left out of the writes, which a person waits for.
 */
export function digestMiddleware(db: Dexie, fieldsOf: DigestFields): Middleware<DBCore> {
	const digested = (name: string): name is CollectionName => Object.hasOwn(fieldsOf, name);
	// Segments this connection appended per collection since it last looked whether to merge.
	const appendedSinceCheck = new Map<CollectionName, number>();
	const due = new Map<CollectionName, boolean>();
	function mergeSoon(collection: CollectionName, always: boolean, delay = mergeDelayMs) {
		const waiting = due.has(collection);
		due.set(collection, always || !!due.get(collection));
		if (waiting) return;
		setTimeout(() => {
			const forced = !!due.get(collection);
			due.delete(collection);
			appendedSinceCheck.set(collection, 0);
			merge(db, collection, fieldsOf[collection]!, forced).then(
				// Writes came in meanwhile (a sync's pages): again, later each time, not to slow the sync down.
				(again) => again && mergeSoon(collection, forced, Math.min(delay * 2, 16 * mergeDelayMs)),
				// Not merged (the database closed meanwhile, a full disk): the digests stay whole, only longer to read.
				() => undefined
			);
		}, delay);
	}

	return {
		stack: 'dbcore',
		name: 'Digests',
		create(down) {
			// Looked up when first needed: while an upgrade adds the digest table, the stack is made without it.
			const log = () => down.table(digestTable);
			// Promise chains, not async functions: the promises Dexie hands out inside a transaction keep its
			// zone, which tells its operations which transaction they belong to; a native `await` here loses it,
			// and the caller's next operation would start a transaction of its own.
			function follow(collection: CollectionName, req: DBCoreMutateRequest, res: DBCoreMutateResponse) {
				const fields = fieldsOf[collection]!;
				let appended: DigestSegment[];
				if (req.type === 'deleteRange') {
					const packed: Packed = { fields, put: [], gone: [], dropped: req.range };
					appended = [{ collection, tier: tiers.appended, packed: JSON.stringify(packed) }];
				} else {
					const done = (_: unknown, i: number) => !(i in res.failures);
					const put = req.type === 'delete' ? [] : (req.values.filter(done) as Row[]);
					const gone = req.type === 'delete' ? (req.keys.filter(done) as string[]) : [];
					appended = digestSegments(collection, fields, tiers.appended, put, gone);
				}
				if (!appended.length) return Promise.resolve();
				return log()
					.mutate({ type: 'add', trans: req.trans, values: appended })
					.then(() => {
						const first = !appendedSinceCheck.has(collection);
						const since = (appendedSinceCheck.get(collection) ?? 0) + appended.length;
						appendedSinceCheck.set(collection, since);
						// After a clear every older segment is dead weight: merged away whatever their number. A
						// connection's first write looks too: an earlier one may have closed before its merge ran.
						if (req.type === 'deleteRange' || since > maxSegments || first)
							mergeSoon(collection, req.type === 'deleteRange');
					});
			}

			return {
				...down,
				transaction(stores, mode, options) {
					const widen = mode === 'readwrite' && stores.some(digested) && !stores.includes(digestTable);
					return down.transaction(widen ? [...stores, digestTable] : stores, mode, options);
				},
				table(name) {
					const table = down.table(name);
					if (!digested(name)) return table;
					return {
						...table,
						mutate: (req) => table.mutate(req).then((res) => follow(name, req, res).then(() => res))
					};
				}
			};
		}
	};
}
