import { collections } from '$lib/sync/collections';
import type { PushResponse } from '$lib/sync/protocol';
import { syncedTables, type DeviceDb, type OutboxEntry } from '../db';
import { acknowledge, toEnvelope } from '../outbox';
import { rebase, recordKey } from '../rebase';

/**
 * Applies a push's answers in ONE transaction. A refused mutation moves to "needs attention" and its
 * record is rebuilt without it (from the server's current copy when the answer carries one). An
 * applied one stays queued until a pull confirms it, so rebases keep showing it until then.
 */
export async function applyPushResponse(
	db: DeviceDb,
	batch: readonly OutboxEntry[],
	response: PushResponse,
	at: Date
): Promise<{ acknowledged: number; rejected: number }> {
	const lastSent = batch.at(-1)?.id ?? 0;
	return db.transaction('rw', [...syncedTables(db), db.outbox, db.base, db.rejected, db.meta], async () => {
		const refused = new Set<string>();
		for (const result of response.results) {
			const entry = result.status === 'rejected' ? await db.outbox.get(result.id) : undefined;
			if (!entry || result.status !== 'rejected') continue;
			const { collection, recordId } = entry;
			await db.rejected.put({
				id: entry.id,
				mutation: toEnvelope(entry),
				collection,
				recordId,
				code: result.code,
				message: result.message,
				current: result.current,
				at: at.toISOString()
			});
			await db.outbox.delete(entry.id);
			if (collections[collection].schema.safeParse(result.current).success) {
				await db.base.update([collection, recordId], { record: result.current as Record<string, unknown> });
			}
			refused.add(recordKey(collection, recordId));
		}
		// Never past what was sent: a larger answer would mean the server counts ids this device has not used.
		const acknowledged = Math.min(response.lastMutationId, lastSent);
		await acknowledge(db, acknowledged);
		await rebase(db, refused);
		return { acknowledged, rejected: refused.size };
	});
}
