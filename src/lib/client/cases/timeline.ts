import type { CaseEvent, CaseEventKind, CaseStatus, PhotoRef } from '$lib/domain';
import type { MutationEnvelope } from '$lib/sync/protocol';

/** A queued mutation as the timeline reads it: the envelope and the record it touches. */
export type QueuedMutation = Pick<MutationEnvelope, 'id' | 'name' | 'args' | 'clientTime'> & {
	recordId: string;
};

/** One step of a case's history, as the timeline shows it. */
export interface TimelineEntry {
	/** The event's id, or `pending-<mutation id>` for a move saved on this device only. */
	key: string;
	kind: CaseEventKind;
	at: string;
	by: string;
	from: CaseStatus | null;
	to: CaseStatus | null;
	body: string | null;
	photos: PhotoRef[];
	/** Whom a move saved on this device assigns the case to (the server's events say it in `body`). */
	assigneeId: string | null;
	/** Saved on this device, not yet acknowledged by the server. */
	pending: boolean;
}

interface MoveArgs {
	id: string;
	from?: CaseStatus;
	to?: CaseStatus;
	reason?: string;
	resolution?: string;
	assigneeId?: string | null;
}

/**
 * The case's events in time order, then what this device has saved and the server has not taken in yet,
 * in the order it was saved (the server will put those after everything it already has). Moves and
 * assignments are written by the server, so a queued one shows as the step it will become.
 */
export function assembleTimeline(
	caseId: string,
	events: readonly CaseEvent[],
	queued: readonly QueuedMutation[],
	me: string
): TimelineEntry[] {
	const queuedComments = new Map(
		queued.filter((m) => m.name === 'caseEvent.add').map((m) => [m.recordId, m.id])
	);
	const known: TimelineEntry[] = [];
	const pending: { order: number; entry: TimelineEntry }[] = [];
	for (const event of events) {
		if (event.caseId !== caseId) continue;
		const entry: TimelineEntry = {
			key: event.id,
			kind: event.kind,
			at: event.at,
			by: event.by,
			from: event.from ?? null,
			to: event.to ?? null,
			body: event.body ?? null,
			photos: event.photos,
			assigneeId: null,
			pending: queuedComments.has(event.id)
		};
		const order = queuedComments.get(event.id);
		if (order === undefined) known.push(entry);
		else pending.push({ order, entry });
	}
	for (const mutation of queued) {
		const args = mutation.args as MoveArgs;
		if (args.id !== caseId) continue;
		if (mutation.name !== 'case.transition' && mutation.name !== 'case.assign') continue;
		const transition = mutation.name === 'case.transition';
		pending.push({
			order: mutation.id,
			entry: {
				key: `pending-${mutation.id}`,
				kind: transition ? 'transition' : 'assignment',
				at: mutation.clientTime,
				by: me,
				from: transition ? (args.from ?? null) : null,
				to: transition ? (args.to ?? null) : null,
				body: args.reason ?? args.resolution ?? null,
				photos: [],
				assigneeId: args.assigneeId ?? null,
				pending: true
			}
		});
	}
	known.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	pending.sort((a, b) => a.order - b.order);
	return [...known, ...pending.map((p) => p.entry)];
}
