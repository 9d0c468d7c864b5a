import { eq, getTableColumns } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Place, Survey } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import type { Db } from '../db';
import { toRow } from '../db/rows';
import { nextVersion } from '../db/version';
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

function tableOf(collection: CollectionName) {
	const table: PgTable = collectionTables[collection];
	return { table, columns: getTableColumns(table) as Record<string, PgColumn> };
}

function rowOf(collection: CollectionName, record: object, place: Place, extra: object) {
	const derived = derivedColumns[collection]?.(record as never) ?? {};
	return toRow(collectionTables[collection], { ...record, ...derived }, { ...place, ...extra });
}

/** The stored record with this id, its row locked until the push commits so merges never interleave. */
export function readForUpdate(tx: Tx, collection: CollectionName, id: string): Promise<Stored | null> {
	return read(tx, collection, id, true);
}

/** The stored record with this id, read without a lock (for checks that do not write it). */
export function readRecord(tx: Tx, collection: CollectionName, id: string): Promise<Stored | null> {
	return read(tx, collection, id, false);
}

async function read(tx: Tx, collection: CollectionName, id: string, lock: boolean): Promise<Stored | null> {
	const { table, columns } = tableOf(collection);
	const query = tx.select().from(table).where(eq(columns.id, id));
	const [row] = (await (lock ? query.for('update') : query)) as Record<string, unknown>[];
	if (!row) return null;
	return {
		record: rowToRecord(collection, row),
		place: {
			communityId: row.communityId as string,
			compoundId: row.compoundId as string,
			gridId: (row.gridId as string | null) ?? null
		},
		version: Number(row.syncVersion),
		deleted: row.deletedAt !== null
	};
}

/** The record as it reads back once stored (times normalised, place filled in), for content comparison. */
export function asStored(collection: CollectionName, record: object, place: Place): Record<string, unknown> {
	return rowToRecord(collection, rowOf(collection, record, place, {}));
}

/** Inserts a new record at the next global version; `extra` sets columns the record does not carry. */
export async function insertRecord(
	tx: Tx,
	collection: CollectionName,
	record: { id: string },
	place: Place,
	extra: object = {}
): Promise<number> {
	const syncVersion = await nextVersion(tx);
	await tx
		.insert(tableOf(collection).table)
		.values(rowOf(collection, record, place, { ...extra, syncVersion }));
	return syncVersion;
}

/** Rewrites a stored record at the next global version. */
export async function updateRecord(
	tx: Tx,
	collection: CollectionName,
	record: { id: string },
	place: Place,
	extra: object = {}
): Promise<number> {
	const { table, columns } = tableOf(collection);
	const syncVersion = await nextVersion(tx);
	await tx
		.update(table)
		.set(rowOf(collection, record, place, { ...extra, syncVersion }))
		.where(eq(columns.id, record.id));
	return syncVersion;
}

/** Marks a record deleted at the next global version; the tombstone tells devices to drop it. */
export async function tombstone(tx: Tx, collection: CollectionName, id: string, now: Date): Promise<number> {
	const { table, columns } = tableOf(collection);
	const syncVersion = await nextVersion(tx);
	await tx.update(table).set({ deletedAt: now, syncVersion }).where(eq(columns.id, id));
	return syncVersion;
}
