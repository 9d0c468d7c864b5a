import type { DeviceDb, RejectedEntry } from './db';

/** Mutations the server refused, oldest first: shown until the person has dealt with each. */
export function needsAttention(db: DeviceDb): Promise<RejectedEntry[]> {
	return db.rejected.toArray();
}

/** The person has dealt with a refused mutation (redone it, or let it go). */
export async function dismissRejected(db: DeviceDb, id: number): Promise<void> {
	await db.rejected.delete(id);
}
