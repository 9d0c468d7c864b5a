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
 * middleware widens the transaction), so the digests can never disagree with the records. When a
 * collection's appended segments grow past `maxSegments` and past a quarter of its merged ones, all its
 * segments are rewritten as few, a moment later in a transaction of their own (not in a write a person
 * waits for): a read stays a few rows, and each write costs a bounded share of a rewrite.
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
	/** 1 for a segment a write appended, 0 for one a merge wrote: appended ones count towards the next merge. */
	appended: 0 | 1;
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

export const digestTable = 'digest';
/** Dexie's declaration of the digest table: segments in the order they were written, by collection. */
export const digestStore = '++seq, [collection+appended]';
/**
 * Appended segments per collection beyond which the collection's segments are merged (read and rewritten),
 * if they are also more than `maxAppendedShare` of the merged ones. The share keeps a long sync cheap: each
 * digest is rewritten a few times in all as the collection grows, not once per 32 pages; and a read reads
 * at most that share more than the digests themselves.
 */
export const maxSegments = 32;
export const maxAppendedShare = 0.25;
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
	appended: 0 | 1,
	put: readonly Row[],
	gone: readonly string[] = []
): DigestSegment[] {
	const made: DigestSegment[] = [];
	const head = JSON.stringify(fields);
	let rows: string[] = [];
	let chars = 0;
	const close = (ids: readonly string[]) => {
		const packed = `{"fields":${head},"put":[${rows.join(',')}],"gone":${JSON.stringify(ids)}}`;
		made.push({ collection, appended, packed });
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

/** Plays segments (oldest first) into one map of digests by id. */
function replay(segments: readonly DigestSegment[], into = new Map<string, Row>()): Map<string, Row> {
	for (const segment of segments) {
		const { fields, put, gone, dropped } = JSON.parse(segment.packed) as Packed;
		for (const values of put) {
			const row: Row = {};
			for (let i = 0; i < fields.length; i++) row[fields[i]] = values[i];
			into.set(row.id as string, row);
		}
		for (const id of gone) into.delete(id);
		if (dropped) for (const id of [...into.keys()]) if (inRange(dropped, id)) into.delete(id);
	}
	return into;
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
		digests[collection] = [...replay(byCollection.get(collection) ?? []).values()];
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
		await digests.bulkAdd(digestSegments(collection, fields, 0, records));
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
 * Rewrites a collection's segments as few, if they are due (`maxSegments`, `maxAppendedShare`) or
 * `always`. The segments are read in one transaction and the new ones made outside any (the long part:
 * writes, a person's save among them, need not wait for it); the swap is one more transaction, given up
 * if a write came in between (true: then the caller tries again later).
 */
async function merge(
	db: Dexie,
	collection: CollectionName,
	fields: readonly string[],
	always: boolean
): Promise<boolean> {
	const log = db.table<DigestSegment, number>(digestTable);
	const ofKind = (appended: 0 | 1) => log.where('[collection+appended]').equals([collection, appended]);
	const all = () => log.where('[collection+appended]').between([collection, 0], [collection, 1], true, true);
	const old = await db.transaction('r', log, async () => {
		if (!always) {
			const appended = await ofKind(1).count();
			if (appended <= maxSegments || appended <= (await ofKind(0).count()) * maxAppendedShare) return null;
		}
		return all().toArray();
	});
	if (!old) return false;
	const seqs = old.map((segment) => segment.seq!).sort((a, b) => a - b);
	const digests = replay(old.sort((a, b) => a.seq! - b.seq!));
	const merged = digestSegments(collection, fields, 0, [...digests.values()]);
	return db.transaction('rw', log, async () => {
		const now = (await all().primaryKeys()).sort((a, b) => a - b);
		if (now.length !== seqs.length || now.some((seq, i) => seq !== seqs[i])) return true;
		await log.bulkDelete(seqs);
		await log.bulkAdd(merged);
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
					appended = [{ collection, appended: 1, packed: JSON.stringify(packed) }];
				} else {
					const done = (_: unknown, i: number) => !(i in res.failures);
					const put = req.type === 'delete' ? [] : (req.values.filter(done) as Row[]);
					const gone = req.type === 'delete' ? (req.keys.filter(done) as string[]) : [];
					appended = digestSegments(collection, fields, 1, put, gone);
				}
				if (!appended.length) return Promise.resolve();
				return log()
					.mutate({ type: 'add', trans: req.trans, values: appended })
					.then(() => {
						const since = (appendedSinceCheck.get(collection) ?? 0) + appended.length;
						appendedSinceCheck.set(collection, since);
						// After a clear every older segment is dead weight: merged away whatever their number.
						if (req.type === 'deleteRange' || since > maxSegments)
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
