import type { DeviceDb, RejectedEntry } from './db';

/** Mutations the server refused, oldest first: shown until the person has dealt with each. */
export function needsAttention(db: DeviceDb): Promise<RejectedEntry[]> {
	return db.rejected.toArray();
}

/** The person has dealt with a refused mutation (redone it, or let it go). */
export async function dismissRejected(db: DeviceDb, id: number): Promise<void> {
	await db.rejected.delete(id);
}

/** The case a refused change belongs to: a move or assignment of it, or a comment on it. */
export function caseOfRefusal(entry: Pick<RejectedEntry, 'collection' | 'recordId' | 'mutation'>) {
	if (entry.collection === 'case') return entry.recordId;
	if (entry.collection !== 'caseEvent') return undefined;
	const caseId = (entry.mutation.args as { caseId?: unknown } | null)?.caseId;
	return typeof caseId === 'string' ? caseId : undefined;
}

const ownRecords: ReadonlySet<string> = new Set(['observation', 'feedback', 'visit', 'patrol']);

/**
 * Where the person deals with what the server refused: the case, when all of it is about one case; the
 * list of their records, when all of it is about those; else the full list in the settings.
 */
export function attentionHref(entries: readonly RejectedEntry[]): string {
	const cases = new Set(entries.map(caseOfRefusal));
	if (entries.length > 0 && cases.size === 1) {
		const [caseId] = cases;
		if (caseId) return `/cases/${caseId}`;
	}
	if (entries.every((entry) => ownRecords.has(entry.collection))) return '/mine?state=attention';
	return '/settings#needs-attention';
}
