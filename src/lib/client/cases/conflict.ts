import { caseRecord, type CaseRecord, type CaseStatus } from '$lib/domain';
import type { CaseTransitionArgs } from '$lib/sync/mutations';
import type { RejectedEntry } from '../db';
import type { TimelineEntry } from './timeline';

/** A step someone else took while this person's move waited on their device. */
export interface ConflictStep {
	from: CaseStatus | null;
	to: CaseStatus;
	by: string | null;
	at: string;
}

/** What a refused compare-and-set of a case means for the person who made it. */
export interface CaseConflict {
	rejectedId: number;
	/** The move the person made, as they made it. */
	attempted: CaseTransitionArgs;
	/** The status the case has now. */
	now: CaseStatus;
	/** How it got there from the status the person saw, oldest first (one step when the events are not on the device yet). */
	steps: ConflictStep[];
	/** The same move from where the case is now, or null when it cannot be made from there. */
	retry: CaseTransitionArgs | null;
	/** The case is where the person wanted it already. */
	alreadyThere: boolean;
}

/** The refused moves of a case that someone else overtook (STALE_TRANSITION), oldest first. */
export function staleMovesOf(rejected: readonly RejectedEntry[], caseId: string): RejectedEntry[] {
	return rejected.filter(
		(entry) =>
			entry.collection === 'case' &&
			entry.recordId === caseId &&
			entry.code === 'STALE_TRANSITION' &&
			entry.mutation.name === 'case.transition'
	);
}

/**
 * Explains a stale move: the transitions the timeline holds since the case left the status the person saw,
 * and the move again from the case's current status when `available` (what the person may do now) allows.
 * `current` is the device's copy, which already follows the server's; the refusal's own copy stands in
 * while the device has none.
 */
export function describeConflict(
	entry: RejectedEntry,
	timeline: readonly TimelineEntry[],
	current: CaseRecord | undefined,
	available: readonly CaseStatus[]
): CaseConflict {
	const attempted = entry.mutation.args as CaseTransitionArgs;
	const refusedWith = caseRecord.safeParse(entry.current);
	const now = current?.status ?? (refusedWith.success ? refusedWith.data.status : attempted.from);
	const moves = timeline.filter((e) => e.kind === 'transition' && !e.pending && e.to);
	const left = moves.findLastIndex((e) => e.from === attempted.from);
	const steps: ConflictStep[] =
		left >= 0
			? moves.slice(left).map((e) => ({ from: e.from, to: e.to!, by: e.by, at: e.at }))
			: [{ from: attempted.from, to: now, by: null, at: current?.updatedAt ?? entry.at }];
	const retry = available.includes(attempted.to) ? { ...attempted, from: now } : null;
	return { rejectedId: entry.id, attempted, now, steps, retry, alreadyThere: now === attempted.to };
}
