import { and, eq, inArray, lt } from 'drizzle-orm';
import type { MutationEnvelope, MutationResult, RejectionCode } from '$lib/sync/protocol';
import type { Db } from '../db';
import { syncRejections } from '../db/schema';
import type { Tx } from './storage';

/*
 * The answers refused mutations got, kept so that a push retried after a lost response is told
 * "rejected" again, not "applied": a refusal must reach the device's needs-attention list, never vanish.
 */

/** The refusals already given to the retried part of a batch, so they are answered the same way. */
export async function refusalsOf(
	tx: Tx,
	clientId: string,
	mutations: MutationEnvelope[],
	last: number
): Promise<Map<number, MutationResult>> {
	const retried = mutations.filter((m) => m.id <= last).map((m) => m.id);
	if (retried.length === 0) return new Map();
	const rows = await tx
		.select()
		.from(syncRejections)
		.where(and(eq(syncRejections.clientId, clientId), inArray(syncRejections.mutationId, retried)));
	return new Map(
		rows.map((row) => [
			row.mutationId,
			{
				id: row.mutationId,
				status: 'rejected',
				code: row.code as RejectionCode,
				message: row.message,
				...(row.current == null ? {} : { current: row.current })
			}
		])
	);
}

export async function rememberRefusals(tx: Tx, clientId: string, results: MutationResult[], at: Date) {
	const rows = results.flatMap((result) =>
		result.status === 'rejected'
			? [
					{
						clientId,
						mutationId: result.id,
						code: result.code,
						message: result.message,
						current: result.current ?? null,
						at
					}
				]
			: []
	);
	if (rows.length > 0) await tx.insert(syncRejections).values(rows);
}

/** Devices retry within minutes or days; refusals are kept as long as tombstones, then dropped. */
export async function purgeRejections(db: Db, olderThanDays: number, now = new Date()): Promise<number> {
	const before = new Date(now.getTime() - olderThanDays * 86_400_000);
	const purged = await db
		.delete(syncRejections)
		.where(lt(syncRejections.at, before))
		.returning({ clientId: syncRejections.clientId });
	return purged.length;
}
