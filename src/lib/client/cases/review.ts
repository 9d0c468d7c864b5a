import type { CaseRecord, CaseStatus, Community, Compound, Grid, Team, User } from '$lib/domain';
import type { DeviceDb } from '../db';
import { LocalRefusal } from '../refusal';
import { moveCase, reassignCase } from './caseView';
import {
	caseFilterParams,
	filterCases,
	openCaseRows,
	readCaseFilter,
	type CaseFilter,
	type CaseRow
} from './list';
import { canWorkAt, teamChoices } from './people';
import { caseOfRefusal } from '../rejected';

/** A line of the coordinators' case table: a list row with where it sits, for the place filters. */
export interface ReviewCaseRow extends CaseRow {
	communityId: string;
	compoundId: string;
	gridId: string | null;
}

/** Everything /review/cases shows, read in one go from the device. */
export interface ReviewCases {
	rows: ReviewCaseRow[];
	records: Map<string, CaseRecord>;
	communities: Community[];
	compounds: Compound[];
	grids: Grid[];
	users: User[];
	teams: Team[];
}

export async function readReviewCases(db: DeviceDb, now: Date): Promise<ReviewCases> {
	const tables = [db.case, db.community, db.compound, db.grid, db.user, db.team, db.outbox, db.rejected];
	return db.transaction('r', tables, async () => {
		const [records, communities, compounds, grids, users, teams, queued, rejected] = await Promise.all([
			db.case.toArray(),
			db.community.toArray(),
			db.compound.toArray(),
			db.grid.toArray(),
			db.user.toArray(),
			db.team.toArray(),
			db.outbox.where('collection').equals('case').toArray(),
			db.rejected.toArray()
		]);
		const compoundOf = new Map(compounds.map((c) => [c.id, c]));
		const names = {
			compounds: new Map(compounds.map((c) => [c.id, c.name])),
			grids: new Map(grids.map((g) => [g.id, g.name]))
		};
		const pending = new Set(queued.map((entry) => entry.recordId));
		const refused = new Set(rejected.map(caseOfRefusal).filter((id): id is string => !!id));
		const byId = new Map(records.map((r) => [r.id, r]));
		const rows = openCaseRows(records, names, now, pending, refused).map((row) => {
			const record = byId.get(row.id) as CaseRecord;
			return {
				...row,
				communityId: compoundOf.get(record.compoundId)?.communityId ?? '',
				compoundId: record.compoundId,
				gridId: record.gridId ?? null
			};
		});
		return { rows, records: byId, communities, compounds, grids, users, teams };
	});
}

/** The table's filters: the cases list's, and where the case sits. */
export interface ReviewCaseFilter extends CaseFilter {
	communityId: string;
	compoundId: string;
	gridId: string;
	unassigned: boolean;
}

export function readReviewCaseFilter(params: URLSearchParams): ReviewCaseFilter {
	return {
		...readCaseFilter(params),
		communityId: params.get('communityId') ?? '',
		compoundId: params.get('compoundId') ?? '',
		gridId: params.get('gridId') ?? '',
		unassigned: params.get('unassigned') === '1'
	};
}

export function reviewCaseFilterParams(filter: ReviewCaseFilter): Record<string, string> {
	const params = caseFilterParams(filter);
	if (filter.communityId) params.communityId = filter.communityId;
	if (filter.compoundId) params.compoundId = filter.compoundId;
	if (filter.gridId) params.gridId = filter.gridId;
	if (filter.unassigned) params.unassigned = '1';
	return params;
}

export function filterReviewCases(
	rows: readonly ReviewCaseRow[],
	filter: ReviewCaseFilter,
	userId: string
): ReviewCaseRow[] {
	return filterCases(rows, filter, userId).filter(
		(row) =>
			(!filter.communityId || row.communityId === filter.communityId) &&
			(!filter.compoundId || row.compoundId === filter.compoundId) &&
			(!filter.gridId || row.gridId === filter.gridId) &&
			(!filter.unassigned || !row.assigneeId)
	);
}

/** The statuses from which a bulk assignment can give a case to someone, and the steps it takes. */
const assignSteps: Readonly<Partial<Record<CaseStatus, readonly ('triage' | 'assign' | 'reassign')[]>>> = {
	reported: ['triage', 'assign'],
	triaged: ['assign'],
	reopened: ['assign'],
	assigned: ['reassign'],
	in_progress: ['reassign']
};

export const canBulkAssign = (status: CaseStatus) => status in assignSteps;

/** Who can take every one of these cases, and the teams that serve all of them. */
export function bulkChoices(
	rows: readonly ReviewCaseRow[],
	users: readonly User[],
	grids: readonly Grid[],
	teams: readonly Team[]
): { people: User[]; teams: Team[] } {
	const places = rows.map((r) => ({
		communityId: r.communityId,
		compoundId: r.compoundId,
		gridId: r.gridId ?? undefined
	}));
	return {
		people: users.filter((user) => places.length > 0 && places.every((p) => canWorkAt(user, grids, p))),
		teams: places.length ? places.reduce((left, p) => teamChoices(left, p), [...teams]) : []
	};
}

export interface BulkAssignResult {
	assigned: string[];
	skipped: string[];
}

/**
 * Gives each case to one person (and team): a reported case is triaged first (its due date set from the
 * service level), a triaged or reopened one is assigned, one already assigned or in progress is
 * re-assigned. Each case is its own mutations in the outbox, so one the device refuses is skipped alone.
 */
export async function assignCases(
	db: DeviceDb,
	records: readonly CaseRecord[],
	assigneeId: string,
	teamId: string | null
): Promise<BulkAssignResult> {
	const result: BulkAssignResult = { assigned: [], skipped: [] };
	for (const record of records) {
		const steps = assignSteps[record.status];
		if (!steps) {
			result.skipped.push(record.id);
			continue;
		}
		try {
			let from = record.status;
			for (const step of steps) {
				if (step === 'triage') {
					await moveCase(db, { id: record.id, from, to: 'triaged' });
					from = 'triaged';
				} else if (step === 'assign') {
					await moveCase(db, { id: record.id, from, to: 'assigned', assigneeId }, teamId);
				} else {
					await reassignCase(db, { id: record.id, assigneeId, teamId: teamId ?? undefined });
				}
			}
			result.assigned.push(record.id);
		} catch (error) {
			if (!(error instanceof LocalRefusal)) throw error;
			result.skipped.push(record.id);
		}
	}
	return result;
}
