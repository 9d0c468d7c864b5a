import type { CollectionName } from '$lib/sync/collections';
import type { Change, PullResponse } from '$lib/sync/protocol';
import { recordTable, syncedTables, type BaseEntry, type DeviceDb, type StoredRecord } from '../db';
import { writeMeta } from '../meta';
import { acknowledge } from '../outbox';
import { rebase, recordKey } from '../rebase';

export interface PullPageContext {
	clientId: string;
}

/**
 * Applies one pull page in ONE Dexie transaction, whole or not at all: its changes, the outbox entries
 * the server has answered, the rebase of the still-pending mutations, and the new cursor. Returns how
 * many queued mutations the page confirmed (and the outbox dropped). The records go in with one bulk
 * write per collection, not one request each: a fresh device's first sync is thousands of them.
 *
 * A `reset` page is the first page of a load from scratch: the synced tables are cleared before it is
 * applied (the outbox, "needs attention", photos and client ids stay), and pending edits are rebased.
 */
export async function applyPullPage(
	db: DeviceDb,
	page: PullResponse,
	{ clientId }: PullPageContext
): Promise<{ confirmed: number }> {
	return db.transaction('rw', [...syncedTables(db), db.outbox, db.base, db.meta], async () => {
		if (page.reset) await Promise.all(syncedTables(db).map((table) => table.clear()));
		const changed = new Set<string>();
		// With nothing pending (a fresh device, most pulls) no change can land on a server copy kept for a rebase.
		const bases =
			(await db.base.count()) > 0 ? await basesOf(db, page.changes) : new Map<string, BaseEntry>();
		const direct: Change[] = [];
		const rebased = new Set<BaseEntry>();
		for (const change of page.changes) {
			const base = bases.get(recordKey(change.collection, change.id));
			if (!base) {
				direct.push(change);
				continue;
			}
			// The record has pending mutations: the change replaces the server's copy, rebase redoes the rest.
			base.record = change.op === 'put' ? change.record : null;
			rebased.add(base);
			changed.add(recordKey(change.collection, change.id));
		}
		await Promise.all([
			...[...byCollection(direct)].map(([collection, changes]) => applyChanges(db, collection, changes)),
			rebased.size ? db.base.bulkPut([...rebased]) : undefined
		]);
		// Only the last page has every change up to the server's lastMutationIds: earlier pages may not yet
		// hold the effects of the mutations it counts, and dropping those would hide them until later pages.
		const confirmedThrough = page.hasMore ? undefined : page.lastMutationIds[clientId];
		let confirmed = 0;
		if (confirmedThrough !== undefined) {
			const answered = await db.outbox.where('id').belowOrEqual(confirmedThrough).toArray();
			// Rebuilt from the server's copy: a refusal whose answer was lost must not stay on the device.
			for (const entry of answered) changed.add(recordKey(entry.collection, entry.recordId));
			await db.outbox.bulkDelete(answered.map((entry) => entry.id));
			confirmed = answered.length;
			await acknowledge(db, confirmedThrough);
		}
		await rebase(db, page.reset ? 'all' : changed);
		await writeMeta(db, 'cursor', page.cursor);
		return { confirmed };
	});
}

/** The server copies kept for records the page touches, by `recordKey` (one entry per record). */
async function basesOf(db: DeviceDb, changes: Change[]): Promise<Map<string, BaseEntry>> {
	const keys = [...new Map(changes.map((c) => [recordKey(c.collection, c.id), c])).values()];
	const found = await db.base.bulkGet(keys.map((c): [CollectionName, string] => [c.collection, c.id]));
	return new Map(
		found.filter((base) => base !== undefined).map((base) => [recordKey(base.collection, base.id), base])
	);
}

function byCollection(changes: Change[]): Map<CollectionName, Change[]> {
	const groups = new Map<CollectionName, Change[]>();
	for (const change of changes) {
		const group = groups.get(change.collection);
		if (group) group.push(change);
		else groups.set(change.collection, [change]);
	}
	return groups;
}

/**
 * A collection's changes, in page order, as one delete and one `bulkPut`: a `del` drops the puts of the
 * same id before it, and deletes run first, so the later of a `put` and a `del` of a record wins.
 */
async function applyChanges(db: DeviceDb, collection: CollectionName, changes: Change[]): Promise<void> {
	const puts = new Map<string, StoredRecord[]>();
	const deleted = new Set<string>();
	for (const change of changes) {
		if (change.op === 'put') {
			const records = puts.get(change.id);
			if (records) records.push(change.record);
			else puts.set(change.id, [change.record]);
		} else {
			puts.delete(change.id);
			deleted.add(change.id);
		}
	}
	const table = recordTable(db, collection);
	if (deleted.size) {
		// `where('id')` also finds records keyed by more than their id (templates: [id+version]).
		await (table.schema.primKey.keyPath === 'id'
			? table.bulkDelete([...deleted])
			: table
					.where('id')
					.anyOf([...deleted])
					.delete());
	}
	if (puts.size) await table.bulkPut([...puts.values()].flat());
}
