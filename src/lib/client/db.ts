import Dexie, { type Table } from 'dexie';
import type { Actor, PhotoRef } from '$lib/domain';
import { collectionNames, collections, type CollectionName, type RecordOf } from '$lib/sync/collections';
import type { MutationEnvelope } from '$lib/sync/protocol';
import { SyncEvents, type SyncError } from './sync/events';

/** A record as the device stores it; the registry's schema gives its shape, Dexie does not check it. */
export type StoredRecord = Record<string, unknown>;

/** A mutation waiting for the server: the wire envelope plus the record it touches. */
export interface OutboxEntry extends MutationEnvelope {
	collection: CollectionName;
	recordId: string;
}

/**
 * The server's copy of a record that has pending mutations (null: the server does not have it).
 * Rebase starts from it, so a refused mutation can be undone without asking the server for the record.
 */
export interface BaseEntry {
	collection: CollectionName;
	id: string;
	record: StoredRecord | null;
}

/** A mutation the server refused: kept, visible, until the person deals with it ("needs attention"). */
export interface RejectedEntry {
	id: number;
	mutation: MutationEnvelope;
	collection: CollectionName;
	recordId: string;
	code: string;
	message: string;
	current?: unknown;
	at: string;
}

/** A photo's bytes, kept on the device; `uploaded` once the blob store has it. */
export interface PhotoEntry extends PhotoRef {
	blob: Blob;
	uploaded: boolean;
}

/** What the device knows about itself, one row per key. */
export interface MetaValues {
	/** Per browser profile. */
	clientGroupId: string;
	/** Names the device's mutation sequence (1, 2, 3 …), shared by every tab of the profile. */
	clientId: string;
	nextMutationId: number;
	/** The highest mutation id the server has answered (applied or rejected). */
	acknowledgedMutationId: number;
	cursor: string | null;
	lastSyncAt: string;
	lastError: SyncError;
	/** The signed-in person, as `GET /api/auth/me` describes them; local case moves are checked against it. */
	actor: Actor;
}
export type MetaKey = keyof MetaValues;
export type MetaEntry = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];

export type DeviceDb = Dexie & { [C in CollectionName]: Table<RecordOf<C>> } & {
	outbox: Table<OutboxEntry, number>;
	base: Table<BaseEntry, [CollectionName, string]>;
	rejected: Table<RejectedEntry, number>;
	meta: Table<MetaEntry, MetaKey>;
	photos: Table<PhotoEntry, string>;
	/** Signals about this database, within this page (other tabs see the data through liveQuery). */
	readonly events: SyncEvents;
};

/** Primary keys other than `id`: a template's (id, version) pair is never reused, so it is the key. */
const compoundKeys: Partial<Record<CollectionName, string>> = { checklistTemplate: '[id+version]' };

/** Dexie's store definitions: one table per collection of the registry, then the device's own tables. */
export const deviceStores: Record<string, string> = {
	...Object.fromEntries(
		collectionNames.map((c) => [c, [compoundKeys[c] ?? 'id', ...collections[c].indexes].join(', ')])
	),
	outbox: 'id, [collection+recordId]',
	base: '[collection+id]',
	rejected: 'id',
	meta: 'key',
	photos: 'sha256'
};

/** The device database; Dexie opens it on first use. Tests pass a fresh name per test. */
export function openDeviceDb(name = 'gridwalk'): DeviceDb {
	const db = new Dexie(name);
	db.version(1).stores(deviceStores);
	// A change to the registry's tables, keys or indexes needs a new version; a rewrite of stored records
	// goes in its upgrade, e.g. db.version(2).stores(deviceStores).upgrade((tx) => tx.table('patrol').toCollection().modify(…)).
	return Object.assign(db, { events: new SyncEvents() }) as DeviceDb;
}

/** A collection's table, untyped by record so generic code can write any collection. */
export function recordTable(db: DeviceDb, collection: CollectionName): Table<StoredRecord> {
	return db.table<StoredRecord>(collection);
}

/** Every synced collection's table, for transactions that may touch any of them. */
export function syncedTables(db: DeviceDb): Table<StoredRecord>[] {
	return collectionNames.map((c) => recordTable(db, c));
}
