import type { Table } from 'dexie';
import type { CollectionName } from '$lib/sync/collections';
import { argsSchema, parseMutationName, touchedRecord } from '$lib/sync/mutations';
import { clientBatchSize, maxPushBytes, type MutationEnvelope } from '$lib/sync/protocol';
import { recordTable, type DeviceDb, type OutboxEntry, type PhotoEntry } from './db';
import { readMeta, writeMeta } from './meta';
import { applyLocally, localCollections } from './mutators';
import { keepPhotos, photoRefsIn } from './photos';
import { keepBase } from './rebase';
import { asStorageRefusal, describeIssues, fieldIssues, LocalRefusal } from './refusal';

/** Room a push body needs around its mutations (versions, client ids, brackets). */
export const pushBodyRoom = 4 * 1024;
/** The largest mutation the device accepts: one must fit in a push body on its own. */
export const maxMutationBytes = maxPushBytes - pushBodyRoom;

/** The size of a value on the wire, as the server counts a body. */
export function jsonBytes(value: unknown): number {
	return new TextEncoder().encode(JSON.stringify(value)).byteLength;
}

/**
 * Saves a change on the device: the record change, its outbox entry and the new photos it refers to are
 * written in ONE transaction, or none of them is. Throws a `LocalRefusal` (nothing written) when the args
 * are invalid, nobody is signed in, the change cannot apply locally (e.g. a case move the state machine
 * refuses), or the device's storage is full (`STORAGE_FULL`).
 */
export async function recordMutation(
	db: DeviceDb,
	name: string,
	args: unknown,
	{ now = new Date(), photos = [] }: { now?: Date; photos?: readonly PhotoEntry[] } = {}
): Promise<OutboxEntry> {
	const mutation = parseMutationName(name);
	if (!mutation) throw new LocalRefusal('UNKNOWN_MUTATION', `There is no mutation called ${name}.`);
	const parsed = argsSchema(mutation).safeParse(args);
	if (!parsed.success) {
		const issues = fieldIssues(parsed.error);
		throw new LocalRefusal('VALIDATION', describeIssues(issues), issues);
	}
	const target = touchedRecord(name, parsed.data);
	if (!target) throw new LocalRefusal('VALIDATION', `${name} needs the id of the record it changes.`);
	const referred = new Set(photoRefsIn(parsed.data).map((ref) => ref.sha256));
	const stray = photos.filter((photo) => !referred.has(photo.sha256));
	if (stray.length > 0) {
		const issues = stray.map((photo) => ({ path: 'photos', message: `${photo.sha256} is not referred to` }));
		throw new LocalRefusal('VALIDATION', describeIssues(issues), issues);
	}
	const clientTime = now.toISOString();
	if (jsonBytes({ id: Number.MAX_SAFE_INTEGER, name, args: parsed.data, clientTime }) > maxMutationBytes) {
		throw new LocalRefusal('TOO_LARGE', `This change is larger than ${maxMutationBytes} bytes.`);
	}

	const tables: Table[] = [
		...localCollections(mutation).map((c) => recordTable(db, c)),
		db.outbox,
		db.base,
		db.meta,
		...(photos.length > 0 ? [db.photos] : [])
	];
	let entry: OutboxEntry;
	try {
		entry = await db.transaction('rw', tables, async () => {
			const actor = await readMeta(db, 'actor');
			if (!actor) throw new LocalRefusal('NOT_SIGNED_IN', 'Please sign in before recording.');
			await keepBase(db, target.collection, target.id);
			const outcome = await applyLocally(db, name, parsed.data, { actor, now });
			if (!outcome.ok) throw new LocalRefusal(outcome.code, outcome.message);
			await keepPhotos(db, photos);
			// Numbered inside the transaction that queues it: tabs cannot take the same number or leave a gap.
			const id = (await readMeta(db, 'nextMutationId')) ?? 1;
			await writeMeta(db, 'nextMutationId', id + 1);
			const queued: OutboxEntry = {
				id,
				name,
				args: parsed.data,
				clientTime,
				collection: target.collection,
				recordId: target.id
			};
			await db.outbox.add(queued);
			return queued;
		});
	} catch (error) {
		throw asStorageRefusal(error);
	}
	db.events.emit('outbox:changed', { cause: 'recorded' });
	return entry;
}

/** The wire form of a queued mutation. */
export function toEnvelope({ id, name, args, clientTime }: OutboxEntry): MutationEnvelope {
	return { id, name, args, clientTime };
}

/** The highest mutation id the server has answered; later ones are saved on this device only. */
async function acknowledgedThrough(db: DeviceDb): Promise<number> {
	return (await readMeta(db, 'acknowledgedMutationId')) ?? 0;
}

/** Records that the server has answered every mutation up to `id` (a push result or a pull's count). */
export async function acknowledge(db: DeviceDb, id: number): Promise<void> {
	if (id > (await acknowledgedThrough(db))) await writeMeta(db, 'acknowledgedMutationId', id);
}

/** Mutations the server has not answered yet, in id order: what "saved on this device" means. */
export async function unacknowledged(db: DeviceDb, limit = Infinity): Promise<OutboxEntry[]> {
	return db.transaction('r', db.outbox, db.meta, async () =>
		db.outbox
			.where('id')
			.above(await acknowledgedThrough(db))
			.limit(limit)
			.toArray()
	);
}

/** How many changes are saved on this device only. */
export async function pendingCount(db: DeviceDb): Promise<number> {
	return db.transaction('r', db.outbox, db.meta, async () =>
		db.outbox
			.where('id')
			.above(await acknowledgedThrough(db))
			.count()
	);
}

/**
 * The next mutations to push, in id order: at most `clientBatchSize`, and no more than fit in a push
 * body (a single mutation always fits, `recordMutation` sees to that).
 */
export async function nextBatch(db: DeviceDb): Promise<OutboxEntry[]> {
	const batch: OutboxEntry[] = [];
	let bytes = pushBodyRoom;
	for (const entry of await unacknowledged(db, clientBatchSize)) {
		bytes += jsonBytes(toEnvelope(entry)) + 1;
		if (batch.length > 0 && bytes > maxPushBytes) break;
		batch.push(entry);
	}
	return batch;
}

/** Whether a record has changes saved on this device that the server has not acknowledged. */
export async function isPending(db: DeviceDb, collection: CollectionName, id: string): Promise<boolean> {
	return (await pendingIds(db, collection, [id])).has(id);
}

/** The ids of a collection's records with unacknowledged changes (all of them, or among `ids`). */
export async function pendingIds(
	db: DeviceDb,
	collection: CollectionName,
	ids?: readonly string[]
): Promise<Set<string>> {
	return db.transaction('r', db.outbox, db.meta, async () => {
		const acknowledged = await acknowledgedThrough(db);
		const entries = ids
			? db.outbox.where('[collection+recordId]').anyOf(ids.map((id) => [collection, id]))
			: db.outbox.where('collection').equals(collection);
		const pending = await entries.filter((entry) => entry.id > acknowledged).toArray();
		return new Set(pending.map((entry) => entry.recordId));
	});
}
