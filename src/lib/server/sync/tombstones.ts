import { eq, getTableColumns, lt, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { collectionNames } from '$lib/sync/collections';
import type { Db } from '../db';
import { syncHorizon } from '../db/schema';
import type { Tx } from './storage';
import { collectionTables } from './tables';

/** DESIGN.md §3: deletes are tombstones kept for at least 90 days. */
export const tombstoneDays = 90;

/** The newest version of any purged tombstone: a device whose cursor is older may have missed a deletion. */
export async function tombstoneHorizon(tx: Tx): Promise<number> {
	const [row] = await tx
		.select({ purgedThrough: syncHorizon.purgedThrough })
		.from(syncHorizon)
		.where(eq(syncHorizon.id, 1));
	return Number(row?.purgedThrough ?? 0);
}

/**
 * Removes the tombstones older than `olderThanDays` from every collection and raises the horizon past
 * them, in one transaction, so a pull sees both or neither. Devices behind the horizon then reload.
 */
export async function purgeTombstones(
	db: Db,
	olderThanDays = tombstoneDays,
	now = new Date()
): Promise<{ purged: number; horizon: number }> {
	const before = new Date(now.getTime() - olderThanDays * 86_400_000);
	return db.transaction(async (tx) => {
		let purged = 0;
		let newest = 0;
		for (const collection of collectionNames) {
			const table: PgTable = collectionTables[collection];
			const columns = getTableColumns(table) as Record<string, PgColumn>;
			const gone = await tx
				.delete(table)
				.where(lt(columns.deletedAt, before))
				.returning({ version: columns.syncVersion });
			purged += gone.length;
			for (const { version } of gone) newest = Math.max(newest, Number(version));
		}
		const [horizon] = await tx
			.insert(syncHorizon)
			.values({ id: 1, purgedThrough: newest })
			.onConflictDoUpdate({
				target: syncHorizon.id,
				set: { purgedThrough: sql`greatest(${syncHorizon.purgedThrough}, excluded.purged_through)` }
			})
			.returning({ purgedThrough: syncHorizon.purgedThrough });
		return { purged, horizon: Number(horizon.purgedThrough) };
	});
}
