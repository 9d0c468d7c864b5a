import type { PullResponse } from '$lib/sync/protocol';
import { recordTable, syncedTables, type DeviceDb } from '../db';
import { writeMeta } from '../meta';
import { acknowledge } from '../outbox';
import { rebase, recordKey } from '../rebase';

export interface PullPageContext {
	clientId: string;
}

/**
 * Applies one pull page in ONE Dexie transaction, whole or not at all: its changes, the outbox entries
 * the server has answered, the rebase of the still-pending mutations, and the new cursor. Returns how
 * many queued mutations the page confirmed (and the outbox dropped).
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
		const bases = await db.base.bulkGet(page.changes.map((change) => [change.collection, change.id]));
		for (const [index, change] of page.changes.entries()) {
			const record = change.op === 'put' ? change.record : null;
			const base = bases[index];
			if (base) {
				// The record has pending mutations: the change replaces the server's copy, rebase redoes the rest.
				await db.base.put({ ...base, record });
				changed.add(recordKey(change.collection, change.id));
			} else if (record) {
				await recordTable(db, change.collection).put(record);
			} else {
				// `where('id')` also finds records keyed by more than their id (templates: [id+version]).
				await recordTable(db, change.collection).where('id').equals(change.id).delete();
			}
		}
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
