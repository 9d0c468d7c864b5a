import {
	cmp,
	type DBCore,
	type DBCoreKeyRange,
	type DBCoreMutateRequest,
	type DBCoreMutateResponse,
	type DBCoreTransaction,
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
 * collection has more than `maxSegments` appended segments, all its segments are rewritten as few, so a
 * read stays a few rows.
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
}

export const digestTable = 'digest';
/** Dexie's declaration of the digest table: segments in the order they were written, by collection. */
export const digestStore = '++seq, [collection+appended]';
/** Appended segments per collection beyond which the collection's segments are merged (read and rewritten). */
export const maxSegments = 32;
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
		const { fields, put, gone } = JSON.parse(segment.packed) as Packed;
		for (const values of put) {
			const row: Row = {};
			for (let i = 0; i < fields.length; i++) row[fields[i]] = values[i];
			into.set(row.id as string, row);
		}
		for (const id of gone) into.delete(id);
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
 * The Dexie middleware that keeps the digests: every read-write transaction on a digested collection
 * also takes the digest table, and every write to such a collection appends its segment there.
 */
export function digestMiddleware(fieldsOf: DigestFields): Middleware<DBCore> {
	const digested = (name: string): name is CollectionName => Object.hasOwn(fieldsOf, name);
	return {
		stack: 'dbcore',
		name: 'Digests',
		create(down) {
			const log = () => down.table(digestTable);
			/** A collection's segments: all of them, or the appended ones only. */
			const segmentsOf = (trans: DBCoreTransaction, collection: CollectionName, appendedOnly: boolean) => ({
				trans,
				query: {
					index: log().schema.getIndexByKeyPath(['collection', 'appended'])!,
					range: {
						type: 2, // DBCoreRangeType.Range
						lower: [collection, appendedOnly ? 1 : 0],
						upper: [collection, 1]
					} as unknown as DBCoreKeyRange
				}
			});
			// Promise chains, not async functions: the promises Dexie hands out inside a transaction keep its
			// zone, which tells its operations which transaction they belong to; a native `await` here loses it,
			// and the caller's next operation would start a transaction of its own.
			const add = (trans: DBCoreTransaction, values: DigestSegment[]): Promise<unknown> =>
				values.length ? log().mutate({ type: 'add', trans, values }) : Promise.resolve();

			/** Rewrites a collection's segments as few, leaving out the ids `drop` says to. */
			const merge = (
				trans: DBCoreTransaction,
				collection: CollectionName,
				drop?: (id: string) => boolean
			): Promise<unknown> =>
				log()
					.query({ ...segmentsOf(trans, collection, false), values: true })
					.then(({ result }) => {
						const old = (result as DigestSegment[]).sort((a, b) => a.seq! - b.seq!);
						const digests = replay(old);
						if (drop) for (const id of [...digests.keys()]) if (drop(id)) digests.delete(id);
						const merged = digestSegments(collection, fieldsOf[collection]!, 0, [...digests.values()]);
						return log()
							.mutate({ type: 'delete', trans, keys: old.map((s) => s.seq) })
							.then(() => add(trans, merged));
					});

			/** Appends what a write did to the collection's log, and merges the log when it has grown long. */
			const follow = (
				collection: CollectionName,
				req: DBCoreMutateRequest,
				res: DBCoreMutateResponse
			): Promise<unknown> => {
				const { trans } = req;
				if (req.type === 'deleteRange') return merge(trans, collection, (id) => inRange(req.range, id));
				const done = (_: unknown, i: number) => !(i in res.failures);
				const put = req.type === 'delete' ? [] : (req.values.filter(done) as Row[]);
				const gone = req.type === 'delete' ? (req.keys.filter(done) as string[]) : [];
				if (!put.length && !gone.length) return Promise.resolve();
				return add(trans, digestSegments(collection, fieldsOf[collection]!, 1, put, gone))
					.then(() => log().count(segmentsOf(trans, collection, true)))
					.then((appended) => (appended > maxSegments ? merge(trans, collection) : undefined));
			};

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
