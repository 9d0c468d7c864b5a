import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Actor } from '$lib/domain';
import type { Db } from '../db';
import { syncClientGroups } from '../db/schema';
import type { Tx } from './storage';

/** What the server remembers of a browser profile's copy of the data between pulls. */
export type ClientGroup = typeof syncClientGroups.$inferSelect;

/** Role and scope decide what a pull shows; when they change, the device's copy is no longer right. */
export function scopeFingerprint(actor: Actor): string {
	const sorted = (ids: readonly string[]) => [...ids].sort();
	const { all, communityIds, compoundIds, gridIds } = actor.scope;
	const seen = {
		role: actor.role,
		teamId: actor.teamId ?? null,
		all,
		communityIds: sorted(communityIds),
		compoundIds: sorted(compoundIds),
		gridIds: sorted(gridIds)
	};
	return createHash('sha256').update(JSON.stringify(seen)).digest('hex');
}

export async function readClientGroup(tx: Tx, clientGroupId: string): Promise<ClientGroup | null> {
	const [group] = await tx
		.select()
		.from(syncClientGroups)
		.where(eq(syncClientGroups.clientGroupId, clientGroupId));
	return group ?? null;
}

export interface PullSituation {
	userId: string;
	scopeHash: string;
	/** The cursor the device sent (> 0). */
	after: number;
	newest: number;
	horizon: number;
}

/** Whether a device asking from `after` must drop its copy and load again (`reset: true`). */
export function mustReload(group: ClientGroup | null, pull: PullSituation): boolean {
	if (!group || group.userId !== pull.userId || group.scopeHash !== pull.scopeHash) return true;
	// The same stale cursor again: the reset answered to it never arrived.
	if (group.resetFrom === pull.after) return true;
	// A cursor this database never handed out (e.g. restored from an older backup).
	if (pull.after > pull.newest) return true;
	// Tombstones it has not seen were purged, unless its copy was loaded after them anyway.
	return pull.after < pull.horizon && group.loadVersion < pull.horizon;
}

/** `lastPullAt` is kept to the minute: a device paging through a load does not write a row per page. */
const lastPullPrecisionMs = 60_000;

/**
 * Records the state a pull leaves the device in; a plain upsert outside the read snapshot, skipped when
 * `known` (the row the pull read) already says the same.
 */
export async function saveClientGroup(db: Db, group: ClientGroup, known: ClientGroup | null): Promise<void> {
	if (known && sameState(known, group)) return;
	const { userId, scopeHash, loadVersion, resetFrom, lastPullAt } = group;
	await db.insert(syncClientGroups).values(group).onConflictDoUpdate({
		target: syncClientGroups.clientGroupId,
		set: { userId, scopeHash, loadVersion, resetFrom, lastPullAt }
	});
}

function sameState(known: ClientGroup, next: ClientGroup): boolean {
	return (
		known.userId === next.userId &&
		known.scopeHash === next.scopeHash &&
		known.loadVersion === next.loadVersion &&
		known.resetFrom === next.resetFrom &&
		Math.abs(next.lastPullAt.getTime() - known.lastPullAt.getTime()) < lastPullPrecisionMs
	);
}
