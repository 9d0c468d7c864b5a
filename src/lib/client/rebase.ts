import type { CollectionName } from '$lib/sync/collections';
import { recordTable, type DeviceDb, type OutboxEntry } from './db';
import { readMeta } from './meta';
import { applyLocally } from './mutators';

/** One string per record, for sets and maps of records. */
export function recordKey(collection: CollectionName, id: string): string {
	return `${collection}/${id}`;
}

/**
 * Keeps the server's copy of a record before its first pending mutation changes it. With nothing
 * pending on a record the device holds the server's copy, so the current row is that copy.
 */
export async function keepBase(db: DeviceDb, collection: CollectionName, id: string): Promise<void> {
	if (await db.base.get([collection, id])) return;
	const record = await recordTable(db, collection).get(id);
	await db.base.put({ collection, id, record: record ?? null });
}

/**
 * Rebuilds records whose server copy changed (`all` after a reset cleared the tables) from that copy
 * plus the mutations still in the outbox, in id order: the device shows its own pending edits over
 * server data. A pending mutation that no longer applies is skipped here and answered by the server.
 * Forgets the server's copy of records with nothing pending. Runs inside a transaction over every
 * synced table, `outbox`, `base` and `meta`.
 */
export async function rebase(db: DeviceDb, changed: ReadonlySet<string> | 'all'): Promise<void> {
	const bases = await db.base.toArray();
	// Every pending mutation keeps its record's server copy in `base`: none kept, nothing to redo.
	if (bases.length === 0) return;
	const actor = await readMeta(db, 'actor');
	const pending = new Map<string, OutboxEntry[]>();
	for (const entry of await db.outbox.toArray()) {
		const key = recordKey(entry.collection, entry.recordId);
		const entries = pending.get(key);
		if (entries) entries.push(entry);
		else pending.set(key, [entry]);
	}
	for (const base of bases) {
		const key = recordKey(base.collection, base.id);
		const mutations = pending.get(key) ?? [];
		if (changed === 'all' || changed.has(key)) {
			const table = recordTable(db, base.collection);
			await (base.record ? table.put(base.record) : table.delete(base.id));
			// Every queued mutation was recorded by a signed-in person, and the actor stays remembered.
			if (actor) {
				for (const { name, args, clientTime } of mutations) {
					await applyLocally(db, name, args, { actor, now: new Date(clientTime) });
				}
			}
		}
		if (mutations.length === 0) await db.base.delete([base.collection, base.id]);
	}
}
