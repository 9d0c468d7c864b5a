import { eq, sql } from 'drizzle-orm';
import type { Db } from './index';
import { syncCounter } from './schema';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The next value of the ONE global version counter. The row lock taken by this UPDATE is held until
 * the writing transaction commits, so versions become visible in the order they were handed out and
 * a pull can never skip a committed row (DESIGN.md §3).
 */
export async function nextVersion(tx: Tx | Db, n = 1): Promise<number> {
	const [row] = await tx
		.update(syncCounter)
		.set({ value: sql`${syncCounter.value} + ${n}` })
		.where(eq(syncCounter.id, 1))
		.returning({ value: syncCounter.value });
	return Number(row.value) - n + 1;
}
