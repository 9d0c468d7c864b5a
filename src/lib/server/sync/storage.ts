import { eq, getTableColumns } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { recordId, type Place, type Survey } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import type { Db } from '../db';
import { anyOf, insertRows, toRow } from '../db/rows';
import { auditLog, blobs, buildings, compounds, grids, syncCounter } from '../db/schema';
import { photoHashes } from './photos';
import { collectionTables, rowToRecord } from './tables';

/** The transaction a push runs in, or one of its savepoints (drizzle's nested transactions). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Columns a table keeps beside the record's own fields, computed from the record for queries. */
const derivedColumns: Partial<Record<CollectionName, (record: never) => object>> = {
	survey: (survey: Survey) => ({ overall: survey.scores.overall })
};

/** A record as the server holds it, with where it sits and the version it was last written at. */
export interface Stored {
	record: Record<string, unknown>;
	place: Place;
	version: number;
	deleted: boolean;
}

/** The reference rows a record's place is derived from (null: no such row). */
export interface BuildingRef {
	compoundId: string;
	gridId: string | null;
	name: string;
}
export interface CompoundRef {
	communityId: string;
}
export interface GridRef {
	compoundIds: string[];
}

export type AuditRow = typeof auditLog.$inferInsert;

function tableOf(collection: CollectionName) {
	const table: PgTable = collectionTables[collection];
	return { table, columns: getTableColumns(table) as Record<string, PgColumn> };
}

function rowOf(collection: CollectionName, record: object, place: Place, extra: object) {
	const derived = derivedColumns[collection]?.(record as never) ?? {};
	return toRow(collectionTables[collection], { ...record, ...derived }, { ...place, ...extra });
}

function storedOf(collection: CollectionName, row: Record<string, unknown>): Stored {
	return {
		record: rowToRecord(collection, row),
		place: {
			communityId: row.communityId as string,
			compoundId: row.compoundId as string,
			gridId: (row.gridId as string | null) ?? null
		},
		version: Number(row.syncVersion),
		deleted: row.deletedAt !== null && row.deletedAt !== undefined
	};
}

/** The record as it reads back once stored (times normalised, place filled in), for content comparison. */
export function asStored(collection: CollectionName, record: object, place: Place): Record<string, unknown> {
	return rowToRecord(collection, rowOf(collection, record, place, {}));
}

/** The distinct ids among values read off a device's args, before validation: anything else is not fetched by. */
const ids = (values: unknown[]) => [
	...new Set(values.filter((v): v is string => recordId.safeParse(v).success))
];

/** Rows held back while a run of creates is applied, written together when the run ends. */
interface Deferred {
	/** Rows to insert, in the order they were made, per table. */
	rows: { table: PgTable; row: object }[];
	/** Records of the run's collections by `collection:id`: prefetched (null: not stored) or made by the run. */
	records: Map<string, Stored | null>;
	/** The keys of the records the run made, in order. */
	made: string[];
}

/** Where a mutation began: undoing to it forgets its held-back rows and gives back its versions. */
export interface Mark {
	version: number;
	rows: number;
	made: number;
}

/**
 * Everything one push reads and writes, over its transaction (DESIGN.md §3).
 *
 * Versions: the push locks the ONE counter row when it opens and holds it to commit, so it hands out
 * versions itself and writes the counter once at the end; versions still become visible in the order
 * they were handed out, and a pull never skips a committed row. A refused mutation gives its back.
 *
 * Reference rows (buildings, compounds, grids) and photos present are read once per push.
 *
 * A run of creates can be *deferred* (see `deferCreates`): the records it will read are fetched in a
 * few set-based queries first, its inserts are held back and written with one multi-row INSERT per
 * table at `flush`. Only creates run deferred: they read nothing but their own ids and reference data,
 * both of which the held-back rows and the caches answer.
 */
export class PushStore {
	private readonly buildings = new Map<string, BuildingRef | null>();
	private readonly compounds = new Map<string, CompoundRef | null>();
	private readonly grids = new Map<string, GridRef | null>();
	private readonly photosPresent = new Set<string>();
	private deferred: Deferred | null = null;

	private constructor(
		readonly tx: Tx,
		private readonly opened: number,
		private version: number
	) {}

	/** Locks the version counter for the rest of the transaction; taken before any row lock, so pushes queue in one order. */
	static async open(tx: Tx): Promise<PushStore> {
		const [counter] = await tx
			.select({ value: syncCounter.value })
			.from(syncCounter)
			.where(eq(syncCounter.id, 1))
			.for('update');
		return new PushStore(tx, counter.value, counter.value);
	}

	/** Writes the counter forward past every version handed out. */
	async close(): Promise<void> {
		if (this.deferred) throw new Error('a deferred run of creates was not flushed');
		if (this.version === this.opened) return;
		await this.tx.update(syncCounter).set({ value: this.version }).where(eq(syncCounter.id, 1));
	}

	nextVersion(): number {
		return ++this.version;
	}

	mark(): Mark {
		return {
			version: this.version,
			rows: this.deferred?.rows.length ?? 0,
			made: this.deferred?.made.length ?? 0
		};
	}

	/** Forgets what was done since `mark`: its versions, and while deferred its held-back rows. */
	undo(mark: Mark): void {
		this.version = mark.version;
		if (!this.deferred) return;
		this.deferred.rows.length = mark.rows;
		// A create only makes a record that was not stored, so undone it is not stored again.
		for (const key of this.deferred.made.splice(mark.made)) this.deferred.records.set(key, null);
	}

	// ---- records ----

	/** The stored record with this id; with `lock`, its row is locked until the push commits. */
	async read(collection: CollectionName, id: string, lock: boolean): Promise<Stored | null> {
		const known = this.deferred?.records.get(`${collection}:${id}`);
		if (known !== undefined) return known;
		const { table, columns } = tableOf(collection);
		const query = this.tx.select().from(table).where(eq(columns.id, id));
		const [row] = (await (lock ? query.for('update') : query)) as Record<string, unknown>[];
		return row ? storedOf(collection, row) : null;
	}

	/** Inserts a new record at the next version; `extra` sets columns the record does not carry. */
	async insert(
		collection: CollectionName,
		record: { id: string },
		place: Place,
		extra: object = {}
	): Promise<number> {
		const syncVersion = this.nextVersion();
		const row = rowOf(collection, record, place, { ...extra, syncVersion });
		if (this.deferred) {
			const key = `${collection}:${record.id}`;
			this.deferred.rows.push({ table: collectionTables[collection], row });
			this.deferred.records.set(key, storedOf(collection, row as Record<string, unknown>));
			this.deferred.made.push(key);
		} else {
			await this.tx.insert(collectionTables[collection]).values(row);
		}
		return syncVersion;
	}

	/** Rewrites a stored record at the next version. */
	async update(collection: CollectionName, record: { id: string }, place: Place, extra: object = {}) {
		this.requireImmediate('update');
		const { table, columns } = tableOf(collection);
		const syncVersion = this.nextVersion();
		await this.tx
			.update(table)
			.set(rowOf(collection, record, place, { ...extra, syncVersion }))
			.where(eq(columns.id, record.id));
		return syncVersion;
	}

	/** Marks a record deleted at the next version; the tombstone tells devices to drop it. */
	async tombstone(collection: CollectionName, id: string, now: Date): Promise<number> {
		this.requireImmediate('tombstone');
		const { table, columns } = tableOf(collection);
		const syncVersion = this.nextVersion();
		await this.tx.update(table).set({ deletedAt: now, syncVersion }).where(eq(columns.id, id));
		return syncVersion;
	}

	async audit(row: AuditRow): Promise<void> {
		if (this.deferred) this.deferred.rows.push({ table: auditLog, row });
		else await this.tx.insert(auditLog).values(row);
	}

	private requireImmediate(what: string) {
		if (this.deferred) throw new Error(`${what} inside a deferred run of creates`);
	}

	// ---- reference data and photos ----

	async building(id: string): Promise<BuildingRef | null> {
		if (!this.buildings.has(id)) await this.loadBuildings([id]);
		return this.buildings.get(id) ?? null;
	}

	async compound(id: string): Promise<CompoundRef | null> {
		if (!this.compounds.has(id)) await this.loadCompounds([id]);
		return this.compounds.get(id) ?? null;
	}

	async grid(id: string): Promise<GridRef | null> {
		if (!this.grids.has(id)) await this.loadGrids([id]);
		return this.grids.get(id) ?? null;
	}

	/** Whether every photo hash is uploaded. Presence is remembered; absence is asked again. */
	async hasPhotos(hashes: string[]): Promise<boolean> {
		const unknown = hashes.filter((hash) => !this.photosPresent.has(hash));
		if (unknown.length > 0) await this.loadPhotos(unknown);
		return hashes.every((hash) => this.photosPresent.has(hash));
	}

	private async loadBuildings(ids: string[]) {
		const wanted = ids.filter((id) => !this.buildings.has(id));
		if (wanted.length === 0) return;
		const rows = await this.tx
			.select({
				id: buildings.id,
				compoundId: buildings.compoundId,
				gridId: buildings.gridId,
				name: buildings.name
			})
			.from(buildings)
			.where(anyOf(buildings.id, wanted));
		for (const id of wanted) this.buildings.set(id, null);
		for (const { id, ...ref } of rows) this.buildings.set(id, ref);
	}

	private async loadCompounds(ids: string[]) {
		const wanted = ids.filter((id) => !this.compounds.has(id));
		if (wanted.length === 0) return;
		const rows = await this.tx
			.select({ id: compounds.id, communityId: compounds.communityId })
			.from(compounds)
			.where(anyOf(compounds.id, wanted));
		for (const id of wanted) this.compounds.set(id, null);
		for (const { id, ...ref } of rows) this.compounds.set(id, ref);
	}

	private async loadGrids(ids: string[]) {
		const wanted = ids.filter((id) => !this.grids.has(id));
		if (wanted.length === 0) return;
		const rows = await this.tx
			.select({ id: grids.id, compoundIds: grids.compoundIds })
			.from(grids)
			.where(anyOf(grids.id, wanted));
		for (const id of wanted) this.grids.set(id, null);
		for (const { id, ...ref } of rows) this.grids.set(id, ref);
	}

	private async loadPhotos(hashes: string[]) {
		const rows = await this.tx
			.select({ sha256: blobs.sha256 })
			.from(blobs)
			.where(anyOf(blobs.sha256, hashes));
		for (const { sha256 } of rows) this.photosPresent.add(sha256);
	}

	// ---- deferred runs of creates ----

	/**
	 * Starts a deferred run for these creates: fetches (and locks) the records with their ids, and the
	 * reference rows and photos their args name, in a few set-based queries. The args are only used as
	 * keys to fetch by; each create is still validated as it is applied.
	 */
	async deferCreates(creates: { collection: CollectionName; args: unknown }[]): Promise<void> {
		const field = (key: string) =>
			ids(creates.map(({ args }) => (args && typeof args === 'object' ? (args as never)[key] : null)));
		await this.loadBuildings(field('buildingId'));
		const named = [...this.buildings.values()].filter((b): b is BuildingRef => b !== null);
		await this.loadCompounds([...field('compoundId'), ...named.map((b) => b.compoundId)]);
		await this.loadGrids([...field('gridId'), ...ids(named.map((b) => b.gridId))]);
		const hashes = [...new Set(creates.flatMap(({ args }) => [...photoHashes(args)]))];
		if (hashes.length > 0) await this.loadPhotos(hashes.filter((hash) => !this.photosPresent.has(hash)));
		const records = new Map<string, Stored | null>();
		const byCollection = new Map<CollectionName, string[]>();
		for (const { collection, args } of creates) {
			const id = args && typeof args === 'object' ? (args as { id?: unknown }).id : null;
			if (typeof id === 'string' && recordId.safeParse(id).success)
				byCollection.set(collection, [...(byCollection.get(collection) ?? []), id]);
		}
		for (const [collection, ids] of byCollection) {
			const { table, columns } = tableOf(collection);
			const unique = [...new Set(ids)];
			for (const id of unique) records.set(`${collection}:${id}`, null);
			const rows = (await this.tx
				.select()
				.from(table)
				.where(anyOf(columns.id, unique))
				.for('update')) as Record<string, unknown>[];
			for (const row of rows) records.set(`${collection}:${row.id as string}`, storedOf(collection, row));
		}
		this.deferred = { rows: [], records, made: [] };
	}

	/** Writes the run's held-back rows, one INSERT per table in the order tables were first written. */
	async flush(): Promise<void> {
		const deferred = this.deferred;
		this.deferred = null;
		if (!deferred) return;
		const byTable = new Map<PgTable, object[]>();
		for (const { table, row } of deferred.rows) {
			const rows = byTable.get(table);
			if (rows) rows.push(row);
			else byTable.set(table, [row]);
		}
		for (const [table, rows] of byTable) await insertRows(this.tx, table, rows);
	}
}
