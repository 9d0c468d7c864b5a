import { sql, type SQL } from 'drizzle-orm';
import {
	assess,
	notOursStatuses,
	previousMonth,
	satisfiedFrom,
	settledStatuses,
	type AssessmentCounts,
	type AssessmentDetail,
	type AssessmentPolicy,
	type AssessmentRow
} from '$lib/domain';
import { isoText, rows, uuidArray, type ReportContext } from './where';

/**
 * The monthly assessment of every compound in scope, counted in one SQL statement (definitions in
 * $lib/domain/assessment.ts); the rates, flags and ranking are worked out from the counts.
 */
export interface AssessmentQuery {
	month: string;
	communityId?: string;
	compoundId?: string;
}

const textList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const notOurs = textList(notOursStatuses);
const settled = textList(settledStatuses);

/** The local month's first instant, the next month's, and the previous month's, with "now". */
function bounds(ctx: ReportContext, month: string): SQL {
	const first = `${month}-01`;
	return sql`SELECT
		(${first}::date::timestamp AT TIME ZONE ${ctx.timeZone}) AS month_start,
		((${first}::date + interval '1 month')::timestamp AT TIME ZONE ${ctx.timeZone}) AS month_end,
		((${first}::date - interval '1 month')::timestamp AT TIME ZONE ${ctx.timeZone}) AS previous_start,
		least(((${first}::date + interval '1 month')::timestamp AT TIME ZONE ${ctx.timeZone}), ${(ctx.now ?? new Date()).toISOString()}::timestamptz) AS cutoff`;
}

function compoundsWhere(ctx: ReportContext, query: AssessmentQuery): SQL {
	const parts: SQL[] = [sql`c.deleted_at IS NULL`];
	if (!ctx.scope.all) parts.push(sql`c.community_id = ANY(${uuidArray(ctx.scope.communityIds)})`);
	if (query.communityId) parts.push(sql`c.community_id = ${query.communityId}::uuid`);
	if (query.compoundId) parts.push(sql`c.id = ${query.compoundId}::uuid`);
	return sql.join(parts, sql` AND `);
}

/**
 * A case's satisfaction answer belongs to the month it was closed in: the time of its last transition
 * to `closed`. Its last update can only be later, which lets the database skip older cases first.
 */
const closedAt = sql`(SELECT max(e.at) AS at FROM case_events e WHERE e.case_id = k.id AND e.kind = 'transition' AND e."to" = 'closed')`;

/**
 * The cases still open at the cutoff: open now, or settled after it. One branch per partial index
 * (cases_open_index, cases_resolved_at_index, cases_not_ours_index), so that history is not read.
 */
const openAtCutoff = sql`
	SELECT compound_id, due_at, created_at FROM cases
	WHERE status NOT IN (${settled}) AND deleted_at IS NULL
	UNION ALL
	SELECT k.compound_id, k.due_at, k.created_at FROM b, cases k
	WHERE k.status IN ('resolved', 'closed') AND k.resolved_at >= b.cutoff AND k.deleted_at IS NULL
	UNION ALL
	SELECT k.compound_id, k.due_at, k.created_at FROM b, cases k
	WHERE k.status IN (${notOurs}) AND k.updated_at >= b.cutoff AND k.deleted_at IS NULL`;

export function assessmentCountsQuery(ctx: ReportContext, query: AssessmentQuery): SQL {
	const previous = previousMonth(query.month);
	return sql`
WITH b AS (${bounds(ctx, query.month)}),
places AS (
	SELECT c.id, c.name, c.community_id, m.name AS community_name
	FROM compounds c JOIN communities m ON m.id = c.community_id
	WHERE ${compoundsWhere(ctx, query)}
),
answers AS (
	SELECT s.compound_id, s.month = ${query.month} AS this_month, s.overall AS score
	FROM surveys s JOIN places pl ON pl.id = s.compound_id
	WHERE s.deleted_at IS NULL AND s.month IN (${query.month}, ${previous})
	UNION ALL
	SELECT k.compound_id, closed.at >= b.month_start, k.satisfaction
	FROM b, cases k JOIN places pl ON pl.id = k.compound_id CROSS JOIN LATERAL ${closedAt} closed
	WHERE k.deleted_at IS NULL AND k.status = 'closed' AND k.satisfaction IS NOT NULL
		AND k.updated_at >= b.previous_start
		AND closed.at >= b.previous_start AND closed.at < b.month_end
),
satisfaction AS (
	SELECT compound_id,
		count(*) FILTER (WHERE this_month)::int AS answers,
		count(*) FILTER (WHERE this_month AND score >= ${satisfiedFrom})::int AS satisfied,
		count(*) FILTER (WHERE NOT this_month)::int AS previous_answers,
		count(*) FILTER (WHERE NOT this_month AND score >= ${satisfiedFrom})::int AS previous_satisfied
	FROM answers GROUP BY compound_id
),
due AS (
	SELECT k.compound_id, count(*)::int AS cases_due,
		count(*) FILTER (WHERE k.status IN ('resolved', 'closed') AND k.resolved_at <= k.due_at)::int AS on_time
	FROM b, cases k JOIN places pl ON pl.id = k.compound_id
	WHERE k.deleted_at IS NULL AND k.due_at >= b.month_start AND k.due_at < b.month_end
		AND k.status NOT IN (${notOurs})
	GROUP BY k.compound_id
),
open AS (
	SELECT k.compound_id, count(*)::int AS open_cases,
		count(*) FILTER (WHERE k.due_at < b.cutoff)::int AS overdue_cases
	FROM b, (${openAtCutoff}) k JOIN places pl ON pl.id = k.compound_id
	WHERE k.created_at < b.cutoff
	GROUP BY k.compound_id
),
patrolled AS (
	SELECT p.compound_id, count(*)::int AS submitted
	FROM b, patrols p JOIN places pl ON pl.id = p.compound_id
	WHERE p.deleted_at IS NULL AND p.status = 'submitted' AND p.started_at >= b.month_start
		AND p.started_at < b.month_end
	GROUP BY p.compound_id
)
SELECT places.id AS "compoundId", places.name AS "compoundName",
	places.community_id AS "communityId", places.community_name AS "communityName",
	coalesce(s.answers, 0) AS answers, coalesce(s.satisfied, 0) AS satisfied,
	coalesce(s.previous_answers, 0) AS "previousAnswers", coalesce(s.previous_satisfied, 0) AS "previousSatisfied",
	coalesce(d.cases_due, 0) AS "casesDue", coalesce(d.on_time, 0) AS "resolvedOnTime",
	coalesce(p.submitted, 0) AS "patrolsSubmitted",
	coalesce(o.open_cases, 0) AS "openCases", coalesce(o.overdue_cases, 0) AS "overdueCases"
FROM places
LEFT JOIN satisfaction s ON s.compound_id = places.id
LEFT JOIN due d ON d.compound_id = places.id
LEFT JOIN open o ON o.compound_id = places.id
LEFT JOIN patrolled p ON p.compound_id = places.id`;
}

export async function monthlyAssessment(
	ctx: ReportContext,
	query: AssessmentQuery,
	policy: AssessmentPolicy
): Promise<AssessmentRow[]> {
	const counts = await rows<AssessmentCounts>(ctx.db, assessmentCountsQuery(ctx, query));
	return assess(counts, policy);
}

export async function assessmentDetail(
	ctx: ReportContext,
	compoundId: string,
	month: string
): Promise<AssessmentDetail | null> {
	const place = sql.join(
		[
			sql`c.id = ${compoundId}::uuid AND c.deleted_at IS NULL`,
			...(ctx.scope.all ? [] : [sql`c.community_id = ANY(${uuidArray(ctx.scope.communityIds)})`])
		],
		sql` AND `
	);
	const [found] = await rows<{ id: string }>(ctx.db, sql`SELECT c.id FROM compounds c WHERE ${place}`);
	if (!found) return null;
	const b = bounds(ctx, month);
	const [surveys, answers, due, open, patrols] = await Promise.all([
		rows<AssessmentDetail['surveys'][number]>(
			ctx.db,
			sql`SELECT s.id, s.overall, s.scores FROM surveys s
				WHERE s.compound_id = ${compoundId}::uuid AND s.month = ${month} AND s.deleted_at IS NULL ORDER BY s.id`
		),
		rows<AssessmentDetail['answers'][number]>(
			ctx.db,
			sql`WITH b AS (${b}) SELECT k.id, k.title, k.satisfaction, ${isoText(sql`closed.at`)} AS "closedAt"
				FROM b, cases k CROSS JOIN LATERAL ${closedAt} closed
				WHERE k.compound_id = ${compoundId}::uuid AND k.deleted_at IS NULL AND k.status = 'closed'
					AND k.satisfaction IS NOT NULL AND closed.at >= b.month_start AND closed.at < b.month_end
				ORDER BY closed.at`
		),
		rows<AssessmentDetail['due'][number]>(
			ctx.db,
			sql`WITH b AS (${b}) SELECT k.id, k.title, k.status, ${isoText(sql`k.due_at`)} AS "dueAt", ${isoText(sql`k.resolved_at`)} AS "resolvedAt",
					(k.status IN ('resolved', 'closed') AND k.resolved_at <= k.due_at) AS "onTime"
				FROM b, cases k
				WHERE k.compound_id = ${compoundId}::uuid AND k.deleted_at IS NULL AND k.due_at >= b.month_start
					AND k.due_at < b.month_end AND k.status NOT IN (${notOurs})
				ORDER BY k.due_at`
		),
		rows<AssessmentDetail['open'][number]>(
			ctx.db,
			sql`WITH b AS (${b}) SELECT k.id, k.title, k.status, ${isoText(sql`k.due_at`)} AS "dueAt", coalesce(k.due_at < b.cutoff, false) AS overdue
				FROM b, cases k
				WHERE k.compound_id = ${compoundId}::uuid AND k.deleted_at IS NULL AND k.created_at < b.cutoff
					AND NOT ((k.status IN ('resolved', 'closed') AND k.resolved_at < b.cutoff)
						OR (k.status IN (${notOurs}) AND k.updated_at < b.cutoff))
				ORDER BY k.due_at NULLS LAST`
		),
		rows<AssessmentDetail['patrols'][number]>(
			ctx.db,
			sql`WITH b AS (${b}) SELECT p.id, ${isoText(sql`p.started_at`)} AS "startedAt", u.display_name AS by
				FROM b, patrols p LEFT JOIN users u ON u.id = p.by
				WHERE p.compound_id = ${compoundId}::uuid AND p.deleted_at IS NULL AND p.status = 'submitted'
					AND p.started_at >= b.month_start AND p.started_at < b.month_end
				ORDER BY p.started_at`
		)
	]);
	return { surveys, answers, due, open, patrols };
}
