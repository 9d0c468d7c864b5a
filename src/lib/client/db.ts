import Dexie, { type Table, type Transaction } from 'dexie';
import type { Actor, PhotoRef } from '$lib/domain';
import { collectionNames, collections, type CollectionName, type RecordOf } from '$lib/sync/collections';
import type { MutationEnvelope } from '$lib/sync/protocol';
import { digestMiddleware, digestStore, digestTable, fillDigests, type DigestSegment } from './digest';
import { mapFields } from './map/mapFields';
import { SyncEvents, type SyncError } from './sync/events';

/** A record as the device stores it; the registry's schema gives its shape, Dexie does not check it. */
export type StoredRecord = Record<string, unknown>;

/** A mutation waiting for the server: the wire envelope plus the record it touches. */
export interface OutboxEntry extends MutationEnvelope {
	collection: CollectionName;
	recordId: string;
	/** The record schema (`schemaVersion` of the wire) its args were written for. */
	schemaVersion: number;
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
	/** The map's fields of the records, packed (`./digest`), kept in the transactions that write the records. */
	digest: Table<DigestSegment, number>;
	/** Signals about this database, within this page (other tabs see the data through liveQuery). */
	readonly events: SyncEvents;
};

/** Primary keys other than `id`: a template's (id, version) pair is never reused, so it is the key. */
const compoundKeys: Partial<Record<CollectionName, string>> = { checklistTemplate: '[id+version]' };

/**
 * Dexie's store definitions: one table per collection of the registry, then the device's own tables. A new
 * collection or index needs no new version: Dexie adds it to a database of an older declaration by itself.
 */
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

/** A version of the device database: what Dexie must do to a database of the version before. */
export interface DeviceVersion {
	version: number;
	/** Tables and indexes that change (a changed primary key needs a new table and a copy in `upgrade`). */
	stores: Record<string, string | null>;
	/** Rewrites what is stored, in the upgrade's one transaction: records, queued args, their base copies. */
	upgrade?: (tx: Transaction) => Promise<unknown>;
}

/**
 * Every version the device database has had, oldest first. Tables and indexes follow the registry (declared
 * at version 1): Dexie adds a new table or index to an existing database by itself. A new version is for
 * what Dexie cannot do by itself: rewriting what is stored (`upgrade`), or changing a primary key. Dexie
 * runs the upgrades a device missed, in order, before anything reads the database.
 */
export const deviceVersions: readonly DeviceVersion[] = [
	{ version: 1, stores: deviceStores },
	{
		// Queued mutations say which record schema their args follow (all of them followed 1 until now), so
		// that an app of an older schema never pushes them as its own: two tabs across an update, or app
		// instances of two versions behind one load balancer.
		version: 2,
		stores: {},
		upgrade: (tx) =>
			tx
				.table<OutboxEntry>('outbox')
				.toCollection()
				.modify((entry) => {
					entry.schemaVersion ??= 1;
				})
	},
	{
		// The map's digests of the records already on the device; from here on every write keeps them.
		version: 3,
		stores: { [digestTable]: digestStore },
		upgrade: (tx) => fillDigests(tx, mapFields)
	}
];

/** Databases a newer version of the app has taken over (it upgraded them from another tab). */
const replaced = new WeakSet<Dexie>();

/** Whether a newer version of the app, in another tab, has upgraded this database: this tab must reload. */
export function replacedByNewerApp(db: Dexie): boolean {
	return replaced.has(db);
}

/** The device database; Dexie opens it on first use. Tests pass a fresh name per test. */
export function openDeviceDb(name = 'gridwalk'): DeviceDb {
	const db = new Dexie(name);
	db.use(digestMiddleware(db, mapFields));
	for (const { version, stores, upgrade } of deviceVersions) {
		const declared = db.version(version).stores(stores);
		if (upgrade) declared.upgrade(upgrade);
	}
	db.on('versionchange', (event) => {
		// Another tab opens a newer version. Dexie would close and quietly reopen the database for this tab,
		// whose older code would go on writing in the older shape, past the upgrade; it stays closed instead.
		if (event.newVersion) replaced.add(db);
		db.close({ disableAutoOpen: true });
		return false; // Dexie's own handler, which would reopen, runs only if this one does not return false.
	});
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
