import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '$lib/domain';
import { collectionNames, type CollectionName } from '$lib/sync/collections';
import type { Tx } from './storage';
import { collectionTables } from './tables';
import { visibleTo } from './visibility';

/** A row written after a cursor; `visible` is whether the person may read it now (never for a tombstone). */
export interface ChangedRow {
	collection: CollectionName;
	id: string;
	version: number;
	visible: boolean;
}

export interface FeedWindow {
	/** Rows written after this version … */
	after: number;
	/** … up to and including this one, when set. */
	through?: number;
	/** Rows the person cannot see at or below this version never reached the device: left out, not deleted. */
	loadVersion: number;
	limit?: number;
}

/**
 * The rows of every collection written in the window, in version order (then collection and id, so the
 * order is total). Each table is read along its version index and cut at `limit` before the merge.
 */
export async function changedRows(tx: Tx, actor: Actor, window: FeedWindow): Promise<ChangedRow[]> {
	const limit = window.limit === undefined ? sql`` : sql` limit ${window.limit}`;
	const branches = collectionNames.map((collection) => {
		const table = collectionTables[collection];
		const visible = visibleTo(collection, actor);
		const through =
			window.through === undefined ? sql`` : sql` and ${table.syncVersion} <= ${window.through}`;
		return sql`(select ${collection}::text as collection, ${table.id}::text as id, ${table.syncVersion} as version, ${visible} as visible
			from ${table}
			where ${table.syncVersion} > ${window.after}${through} and (${table.syncVersion} > ${window.loadVersion} or ${visible})
			order by ${table.syncVersion}, ${table.id}${limit})`;
	});
	const rows = await rowsOf<{
		collection: CollectionName;
		id: string;
		version: string | number;
		visible: boolean;
	}>(
		tx,
		sql`select * from (${sql.join(branches, sql` union all `)}) as changed order by version, collection, id${limit}`
	);
	return rows.map((row) => ({ ...row, version: Number(row.version) }));
}

/**
 * The newest version of any committed row in this snapshot. Versions become visible in the order they
 * were handed out (DESIGN.md §3), so no row at or below it can still commit later.
 */
export async function newestVersion(tx: Tx): Promise<number> {
	const branches = collectionNames.map((collection) => {
		const table = collectionTables[collection];
		return sql`(select max(${table.syncVersion}) as version from ${table})`;
	});
	const [row] = await rowsOf<{ version: string | number | null }>(
		tx,
		sql`select coalesce(max(version), 0) as version from (${sql.join(branches, sql` union all `)}) as newest`
	);
	return Number(row.version);
}

/** Both drivers answer `execute` with `{ rows }`. */
async function rowsOf<T>(tx: Tx, query: SQL): Promise<T[]> {
	const result = await tx.execute(query);
	return (result as unknown as { rows: T[] }).rows;
}
