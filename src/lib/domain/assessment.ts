import type { CaseStatus } from './enums';

/**
 * The monthly assessment (考评) of DOMAIN.md, per compound per month, in the district's local months:
 * - satisfaction rate: survey `overall` scores of the month and the satisfaction answers of cases closed
 *   in the month, taken together; the share that are 4 or 5 (null with no answers);
 * - on-time rate: of the cases due in the month (not duplicates or rejected), those resolved by their
 *   due date (null with none due);
 * - patrol coverage: submitted patrols started in the month / planned patrols, at most 1. "Planned" is
 *   one number per compound per month from the configuration (ASSESSMENT_PATROLS_PLANNED);
 * - open cases at month end: made before the month ended and not yet resolved, closed, rejected or a
 *   duplicate by then (the current month: by now); overdue: those of them past their due date.
 * A compound is flagged (约谈) when its satisfaction rate is under the threshold (60 % unless configured).
 */
export const defaultThresholdPercent = 60;
export const defaultPatrolsPlanned = 2;

/** A score counts as satisfied at 4 or 5 of 5. */
export const satisfiedFrom = 4;

/** Statuses in which nothing is owed any more (the case is not open). */
export const settledStatuses: readonly CaseStatus[] = ['resolved', 'closed', 'duplicate', 'rejected'];
/** Statuses that leave a case out of the on-time rate: it was never ours to resolve. */
export const notOursStatuses: readonly CaseStatus[] = ['duplicate', 'rejected'];

export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function patrolCoverage(submitted: number, planned: number): number | null {
	return planned > 0 ? Math.min(submitted, planned) / planned : null;
}

/**
 * Whether `satisfied` of `answers` lies under `thresholdPercent`, compared in whole numbers so that
 * 60 % is never read as 59.999…: 3 of 5 is not flagged at 60 %, 599 of 1000 is.
 */
export function isFlagged(satisfied: number, answers: number, thresholdPercent: number): boolean {
	return answers > 0 && satisfied * 100 < thresholdPercent * answers;
}

/** The month before `month` ("2026-01" → "2025-12"). */
export function previousMonth(month: string): string {
	const [year, m] = month.split('-').map(Number);
	return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** The counts a compound's figures are made of, as the database adds them up. */
export interface AssessmentCounts {
	compoundId: string;
	compoundName: string;
	communityId: string;
	communityName: string;
	answers: number;
	satisfied: number;
	casesDue: number;
	resolvedOnTime: number;
	patrolsSubmitted: number;
	openCases: number;
	overdueCases: number;
	/** Last month's answers, for the trend. */
	previousAnswers: number;
	previousSatisfied: number;
}

/** One row of `GET /api/assessment?month=YYYY-MM`. */
export interface AssessmentRow extends AssessmentCounts {
	satisfactionRate: number | null;
	onTimeRate: number | null;
	patrolCoverage: number | null;
	patrolsPlanned: number;
	flagged: boolean;
	/** 1 = best satisfaction; compounds without answers come last, unranked (null). */
	rank: number | null;
	previousSatisfactionRate: number | null;
	/** This month's satisfaction rate minus last month's; null when either has no answers. */
	trend: number | null;
}

/** The records behind one compound's figures for a month: what the assessment page drills down to. */
export interface AssessmentDetail {
	surveys: { id: string; overall: number; scores: Record<string, number> }[];
	answers: { id: string; title: string; satisfaction: number; closedAt: string }[];
	due: {
		id: string;
		title: string;
		status: string;
		dueAt: string;
		resolvedAt: string | null;
		onTime: boolean;
	}[];
	open: { id: string; title: string; status: string; dueAt: string | null; overdue: boolean }[];
	patrols: { id: string; startedAt: string; by: string }[];
}

export interface AssessmentPolicy {
	thresholdPercent: number;
	patrolsPlanned: number;
}

/** The figures from the counts, ranked: best satisfaction first, then on-time rate, then name. */
export function assess(counts: AssessmentCounts[], policy: AssessmentPolicy): AssessmentRow[] {
	const rows = counts.map((c): AssessmentRow => {
		const satisfactionRate = ratio(c.satisfied, c.answers);
		const previousSatisfactionRate = ratio(c.previousSatisfied, c.previousAnswers);
		return {
			...c,
			satisfactionRate,
			onTimeRate: ratio(c.resolvedOnTime, c.casesDue),
			patrolCoverage: patrolCoverage(c.patrolsSubmitted, policy.patrolsPlanned),
			patrolsPlanned: policy.patrolsPlanned,
			flagged: isFlagged(c.satisfied, c.answers, policy.thresholdPercent),
			rank: null,
			previousSatisfactionRate,
			trend:
				satisfactionRate === null || previousSatisfactionRate === null
					? null
					: satisfactionRate - previousSatisfactionRate
		};
	});
	const order = (r: AssessmentRow) => [r.satisfactionRate ?? -1, r.onTimeRate ?? -1] as const;
	rows.sort((a, b) => {
		const [sa, oa] = order(a);
		const [sb, ob] = order(b);
		return sb - sa || ob - oa || a.compoundName.localeCompare(b.compoundName, 'zh-CN');
	});
	rows.forEach((row, i) => (row.rank = row.satisfactionRate === null ? null : i + 1));
	return rows;
}
