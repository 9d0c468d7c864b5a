import type { CaseEvent, CaseRecord, Grid, PhotoRef, Place, Team, User } from '$lib/domain';
import type { CaseAssignArgs, CaseTransitionArgs } from '$lib/sync/mutations';
import type { DeviceDb, PhotoEntry, RejectedEntry } from '../db';
import { newRecordId } from '../ids';
import { recordMutation } from '../outbox';
import { caseOfRefusal, dismissRejected } from '../rejected';
import { openCaseRows, type CaseRow } from './list';
import { assembleTimeline, type QueuedMutation, type TimelineEntry } from './timeline';

/** The open cases on the device as list rows (see `openCaseRows`). */
export async function readCaseRows(db: DeviceDb, now: Date): Promise<CaseRow[]> {
	return db.transaction('r', [db.case, db.compound, db.grid, db.outbox, db.meta, db.rejected], async () => {
		const [records, compounds, grids, queued, rejected] = await Promise.all([
			db.case.toArray(),
			db.compound.toArray(),
			db.grid.toArray(),
			db.outbox.where('collection').equals('case').toArray(),
			db.rejected.toArray()
		]);
		const names = {
			compounds: new Map(compounds.map((c) => [c.id, c.name])),
			grids: new Map(grids.map((g) => [g.id, g.name]))
		};
		const pending = new Set(queued.map((entry) => entry.recordId));
		return openCaseRows(records, names, now, pending, new Set(refusalsByCase(rejected).keys()));
	});
}

/** The refused changes of each case: its moves and assignments, and the comments made on it. */
function refusalsByCase(rejected: readonly RejectedEntry[]): Map<string, RejectedEntry[]> {
	const byCase = new Map<string, RejectedEntry[]>();
	for (const entry of rejected) {
		const caseId = caseOfRefusal(entry);
		if (caseId) byCase.set(caseId, [...(byCase.get(caseId) ?? []), entry]);
	}
	return byCase;
}

/** Everything the case page shows, read in one go from the device. */
export interface CaseView {
	record: CaseRecord;
	place: Place;
	compoundName: string;
	gridName: string;
	timeline: TimelineEntry[];
	/** Some change to it is saved on this device only. */
	pending: boolean;
	refused: RejectedEntry[];
	users: Map<string, User>;
	grids: Grid[];
	teams: Team[];
	/** The other cases of the compound, for "duplicate of". */
	neighbours: CaseRecord[];
	/** The source record is one of the person's own, on this device. */
	sourceIsMine: boolean;
}

/** The case and what goes with it; null when the device does not hold it or its compound. */
export async function readCaseView(db: DeviceDb, caseId: string, me: string): Promise<CaseView | null> {
	const record = await db.case.get(caseId);
	if (!record) return null;
	const compound = await db.compound.get(record.compoundId);
	if (!compound) return null;
	const [events, outbox, rejected, users, grids, teams, neighbours] = await Promise.all([
		db.caseEvent.where('caseId').equals(caseId).toArray(),
		db.outbox.where('collection').anyOf('case', 'caseEvent').toArray(),
		db.rejected.toArray(),
		db.user.toArray(),
		db.grid.toArray(),
		db.team.toArray(),
		db.case.where('compoundId').equals(record.compoundId).toArray()
	]);
	const eventIds = new Set(events.map((e) => e.id));
	const queued: QueuedMutation[] = outbox.filter(
		(entry) => entry.recordId === caseId || eventIds.has(entry.recordId)
	);
	const source = record.source;
	const sourceRecord =
		source.type === 'patrol' ||
		source.type === 'observation' ||
		source.type === 'feedback' ||
		source.type === 'visit'
			? ((await db.table(source.type).get(source.id)) as { by?: string } | undefined)
			: undefined;
	return {
		record,
		place: { communityId: compound.communityId, compoundId: record.compoundId, gridId: record.gridId },
		compoundName: compound.name,
		gridName: (record.gridId && grids.find((g) => g.id === record.gridId)?.name) || '',
		timeline: assembleTimeline(caseId, events, queued, me),
		pending: queued.length > 0,
		refused: refusalsByCase(rejected).get(caseId) ?? [],
		users: new Map(users.map((u) => [u.id, u])),
		grids,
		teams,
		neighbours: neighbours.filter((c) => c.id !== caseId),
		sourceIsMine: sourceRecord?.by === me
	};
}

/**
 * A move along the case machine, saved on the device and queued (throws the `LocalRefusal` the device
 * gives). A team given with an assignment is recorded as the assignment it is, right after the move.
 */
export async function moveCase(db: DeviceDb, args: CaseTransitionArgs, team?: string | null): Promise<void> {
	await recordMutation(db, 'case.transition', args);
	if (args.to === 'assigned' && team) {
		const assign: CaseAssignArgs = { id: args.id, assigneeId: args.assigneeId ?? null, teamId: team };
		await recordMutation(db, 'case.assign', assign);
	}
}

/** Gives an open case to someone else (a team left out stays as it is), queued as `case.assign`. */
export async function reassignCase(db: DeviceDb, args: CaseAssignArgs): Promise<void> {
	await recordMutation(db, 'case.assign', args);
}

/** A comment with its photos, saved with them in one transaction. */
export async function commentOnCase(
	db: DeviceDb,
	{
		caseId,
		body,
		photos,
		entries,
		by
	}: {
		caseId: string;
		body: string;
		photos: PhotoRef[];
		entries: PhotoEntry[];
		by: string;
	}
): Promise<void> {
	const event: CaseEvent = {
		id: newRecordId(),
		caseId,
		kind: 'comment',
		body: body.trim() || null,
		photos,
		at: new Date().toISOString(),
		by
	};
	await recordMutation(db, 'caseEvent.add', event, { photos: entries });
}

/** The refused move made again from where the case is now; the refusal is dealt with once it is queued. */
export async function retryMove(db: DeviceDb, rejectedId: number, retry: CaseTransitionArgs): Promise<void> {
	await recordMutation(db, 'case.transition', retry);
	await dismissRejected(db, rejectedId);
}
