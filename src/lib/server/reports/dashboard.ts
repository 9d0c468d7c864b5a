import { sql } from 'drizzle-orm';
import { settledStatuses, trendWeeks, type Dashboard, type ReviewFilters } from '$lib/domain';
import {
	addDays,
	dayEnd,
	dayStart,
	isoText,
	localDay,
	placeWhere,
	rows,
	uuidArray,
	type ReportContext
} from './where';

/**
 * The review dashboard, added up by the database: counts by status, category and compound for the
 * chosen dates (the last 12 weeks by default), the cases overdue now, a 12-week trend ending with the
 * last chosen day, and the compounds with the most open cases. One scan per table and question.
 */
const settled = sql.raw(settledStatuses.map((s) => `'${s}'`).join(', '));
const overdueListed = 20;
const mostOpenListed = 10;

/** Monday of the ISO week containing `day`. */
function monday(day: string): string {
	const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
	return addDays(day, -weekday);
}

export async function dashboard(ctx: ReportContext, filters: ReviewFilters): Promise<Dashboard> {
	const { db, scope, timeZone } = ctx;
	const now = ctx.now ?? new Date();
	const to = filters.to ?? localDay(now, timeZone);
	const from = filters.from ?? addDays(to, -(trendWeeks * 7 - 1));
	const trendFrom = addDays(monday(to), -(trendWeeks - 1) * 7);
	const scanFrom = from < trendFrom ? from : trendFrom;
	const scan = (column: string) =>
		sql`${sql.raw(column)} >= ${dayStart(scanFrom, timeZone)} AND ${sql.raw(column)} < ${dayEnd(to, timeZone)}`;
	const nowParam = sql`${now.toISOString()}::timestamptz`;
	const weeks = Array.from({ length: trendWeeks }, (_, i) => addDays(trendFrom, i * 7));
	/** The trend week of a time by binary search over the weeks' local Mondays: 0 before the first. */
	const edges = sql.join(
		[...weeks, addDays(trendFrom, trendWeeks * 7)].map((d) => dayStart(d, timeZone)),
		sql`, `
	);
	const week = (column: string) => sql`width_bucket(${sql.raw(column)}, ARRAY[${edges}])`;

	const [observed, opened, resolved, open, overdue, places] = await Promise.all([
		rows<{ compoundId: string; category: string; week: number; inWindow: boolean; n: number }>(
			db,
			sql`SELECT o.compound_id AS "compoundId", o.category, ${week('o.observed_at')} AS week,
					o.observed_at >= ${dayStart(from, timeZone)} AS "inWindow", count(*)::int AS n
				FROM observations o
				WHERE ${placeWhere('o', scope, filters)} AND ${scan('o.observed_at')}
				GROUP BY 1, 2, 3, 4`
		),
		rows<{
			compoundId: string;
			category: string;
			status: string;
			week: number;
			inWindow: boolean;
			n: number;
		}>(
			db,
			sql`SELECT k.compound_id AS "compoundId", k.category, k.status, ${week('k.created_at')} AS week,
					k.created_at >= ${dayStart(from, timeZone)} AS "inWindow", count(*)::int AS n
				FROM cases k
				WHERE ${placeWhere('k', scope, filters)} AND ${scan('k.created_at')}
				GROUP BY 1, 2, 3, 4, 5`
		),
		rows<{ week: number; n: number }>(
			db,
			sql`SELECT ${week('k.resolved_at')} AS week, count(*)::int AS n
				FROM cases k
				WHERE ${placeWhere('k', scope, filters)} AND k.resolved_at >= ${dayStart(trendFrom, timeZone)}
					AND k.resolved_at < ${dayEnd(to, timeZone)}
				GROUP BY 1`
		),
		rows<{ compoundId: string; open: number; overdue: number }>(
			db,
			sql`SELECT k.compound_id AS "compoundId", count(*)::int AS open,
					count(*) FILTER (WHERE k.due_at < ${nowParam})::int AS overdue
				FROM cases k
				WHERE ${placeWhere('k', scope, filters)} AND k.status NOT IN (${settled})
				GROUP BY 1`
		),
		rows<Dashboard['overdue'][number] & { compoundId: string }>(
			db,
			sql`SELECT k.id, k.title, k.category, k.status, k.compound_id AS "compoundId", '' AS "compoundName",
					${isoText(sql`k.due_at`)} AS "dueAt"
				FROM cases k
				WHERE ${placeWhere('k', scope, filters)} AND k.status NOT IN (${settled}) AND k.due_at < ${nowParam}
				ORDER BY k.due_at, k.id
				LIMIT ${overdueListed}`
		),
		placesInScope(ctx)
	]);

	const compoundName = new Map(places.compounds.map((c) => [c.id, c.name]));
	const nameOf = (id: string) => compoundName.get(id) ?? '';
	const tally = <K extends string>(items: { key: K; n: number }[]) => {
		const totals = new Map<K, number>();
		for (const { key, n } of items) totals.set(key, (totals.get(key) ?? 0) + n);
		return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	};
	const observedInWindow = observed.filter((r) => r.inWindow);
	const openedInWindow = opened.filter((r) => r.inWindow);

	const compounds = new Map<string, Dashboard['byCompound'][number]>();
	const compound = (id: string) => {
		if (!compounds.has(id))
			compounds.set(id, { compoundId: id, compoundName: nameOf(id), cases: 0, open: 0, observations: 0 });
		return compounds.get(id)!;
	};
	for (const r of observedInWindow) compound(r.compoundId).observations += r.n;
	for (const r of openedInWindow) {
		compound(r.compoundId).cases += r.n;
		if (!settledStatuses.includes(r.status as (typeof settledStatuses)[number]))
			compound(r.compoundId).open += r.n;
	}

	const perWeek = (items: { week: number; n: number }[]) => {
		const totals = new Map<string, number>();
		for (const { week, n } of items) {
			if (week < 1 || week > trendWeeks) continue;
			totals.set(weeks[week - 1], (totals.get(weeks[week - 1]) ?? 0) + n);
		}
		return totals;
	};
	const observedWeeks = perWeek(observed);
	const openedWeeks = perWeek(opened);
	const resolvedWeeks = perWeek(resolved);

	return {
		filters,
		from,
		to,
		totals: {
			observations: observedInWindow.reduce((sum, r) => sum + r.n, 0),
			cases: openedInWindow.reduce((sum, r) => sum + r.n, 0),
			open: open.reduce((sum, r) => sum + r.open, 0),
			overdue: open.reduce((sum, r) => sum + r.overdue, 0)
		},
		casesByStatus: tally(openedInWindow.map((r) => ({ key: r.status, n: r.n }))).map(([status, count]) => ({
			status,
			count
		})),
		casesByCategory: tally(openedInWindow.map((r) => ({ key: r.category, n: r.n }))).map(
			([category, count]) => ({ category, count })
		),
		observationsByCategory: tally(observedInWindow.map((r) => ({ key: r.category, n: r.n }))).map(
			([category, count]) => ({ category, count })
		),
		byCompound: [...compounds.values()].sort(
			(a, b) =>
				b.cases - a.cases || b.observations - a.observations || a.compoundName.localeCompare(b.compoundName)
		),
		overdue: overdue.map(({ compoundId, ...c }) => ({ ...c, compoundName: nameOf(compoundId) })),
		trend: weeks.map((w) => ({
			week: w,
			observations: observedWeeks.get(w) ?? 0,
			opened: openedWeeks.get(w) ?? 0,
			resolved: resolvedWeeks.get(w) ?? 0
		})),
		mostOpen: open
			.map((r) => ({ ...r, compoundName: nameOf(r.compoundId) }))
			.sort(
				(a, b) => b.open - a.open || b.overdue - a.overdue || a.compoundName.localeCompare(b.compoundName)
			)
			.slice(0, mostOpenListed),
		places
	};
}

/** The communities, compounds and grids a person may filter by. */
export async function placesInScope(ctx: ReportContext): Promise<Dashboard['places']> {
	const within = (alias: string) =>
		ctx.scope.all
			? sql`${sql.raw(alias)}.deleted_at IS NULL`
			: sql`${sql.raw(alias)}.deleted_at IS NULL AND ${sql.raw(alias)}.${sql.raw(alias === 'm' ? 'id' : 'community_id')} = ANY(${uuidArray(ctx.scope.communityIds)})`;
	const [communities, compounds, grids] = await Promise.all([
		rows<{ id: string; name: string }>(
			ctx.db,
			sql`SELECT m.id, m.name FROM communities m WHERE ${within('m')} ORDER BY m.name, m.id`
		),
		rows<{ id: string; name: string; communityId: string }>(
			ctx.db,
			sql`SELECT c.id, c.name, c.community_id AS "communityId" FROM compounds c WHERE ${within('c')} ORDER BY c.name, c.id`
		),
		rows<{ id: string; name: string; communityId: string; compoundIds: string[] }>(
			ctx.db,
			sql`SELECT g.id, g.name, g.community_id AS "communityId", g.compound_ids AS "compoundIds"
				FROM grids g WHERE ${within('g')} ORDER BY g.name, g.id`
		)
	]);
	return { communities, compounds, grids };
}
