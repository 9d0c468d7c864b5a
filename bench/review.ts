import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { everywhere, type Scope } from '../src/lib/domain';
import type { Db } from '../src/lib/server/db';
import * as schema from '../src/lib/server/db/schema';
import { monthlyAssessment } from '../src/lib/server/reports/assessment';
import { dashboard } from '../src/lib/server/reports/dashboard';
import { createDatabase } from './gridwalk';
import { Cleanup, formatCount, progress } from './support';

/**
 * The review's queries on PostgreSQL over a district far larger than the demo: 1,000,000 observations
 * and 100,000 cases over a year (with their case events, surveys and patrols), made inside the database
 * with generate_series. Each query runs warm, several times; the median is set beside the target, and
 * EXPLAIN tells which indexes the plans use on the big tables.
 */
export interface ReviewFigures {
	observations: number;
	cases: number;
	generateMs: number;
	timings: { measure: string; medianMs: number; worstMs: number; targetMs: number }[];
	plans: { measure: string; scans: string[] }[];
	/** The 1-minute load average when the timings ended: other work competing for the cores. */
	load: number;
}

const targetMs = 300;
const runs = 5;
const timeZone = 'Asia/Shanghai';
const bigTables = new Set(['observations', 'cases', 'case_events', 'surveys', 'patrols']);

/** The synthetic district, all in SQL: ids are md5-derived so that rows refer to each other without joins. */
export function districtSql(observations: number, cases: number): string[] {
	const id = (kind: string, n: string) => `md5('${kind}' || (${n}))::uuid`;
	const compound = (n: string) => `(${n}) % 200`;
	const communityOf = (c: string) => `(${c}) % 39`;
	return [
		`INSERT INTO communities (id, name, code, sync_version)
			SELECT ${id('community', 'n')}, '社区' || n, 'C' || n, n FROM generate_series(0, 38) n`,
		`INSERT INTO compounds (id, community_id, name, centroid, sync_version)
			SELECT ${id('compound', 'n')}, ${id('community', communityOf('n'))}, '小区' || n,
				jsonb_build_object('lat', 33.6 + n * 0.0003, 'lng', 116.9 + n * 0.0003), 100 + n
			FROM generate_series(0, 199) n`,
		`INSERT INTO grids (id, community_id, compound_ids, name, boundary, sync_version)
			SELECT ${id('grid', 'n')}, ${id('community', communityOf(compound('n')))},
				jsonb_build_array(${id('compound', compound('n'))}), '网格' || n,
				'{"type":"Polygon","coordinates":[[[116.9,33.6],[116.91,33.6],[116.91,33.61],[116.9,33.6]]]}', 400 + n
			FROM generate_series(0, 299) n`,
		`INSERT INTO users (id, username, display_name, role, community_ids, password_hash, sync_version)
			VALUES (${id('user', '0')}, 'bench-coordinator', 'bench', 'coordinator',
				jsonb_build_array(${id('community', '0')}, ${id('community', '1')}), 'x', 1000)`,
		`INSERT INTO observations (id, category, subtype, severity, location, community_id, compound_id, grid_id,
				observed_at, by, sync_version)
			SELECT ${id('observation', 'n')}, (ARRAY['parking','sanitation','safety','facility','other'])[1 + n % 5],
				'parking.fire_lane_blocked', 'low', '{"lat":33.63,"lng":116.98,"accuracy":8}',
				${id('community', communityOf(compound('n * 7')))}, ${id('compound', compound('n * 7'))},
				${id('grid', `(${compound('n * 7')}) + 200 * ((n / 200) % 2)`)},
				now() - (n % 365) * interval '1 day' - (n % 86400) * interval '1 second', ${id('user', '0')}, 10000 + n
			FROM generate_series(0, ${observations - 1}) n`,
		`INSERT INTO cases (id, source, title, category, priority, community_id, compound_id, grid_id, status,
				due_at, resolved_at, satisfaction, created_at, updated_at, sync_version)
			SELECT ${id('case', 'n')}, jsonb_build_object('type', 'observation', 'id', ${id('observation', 'n')}),
				'问题 ' || n, (ARRAY['parking','sanitation','safety','facility','other'])[1 + n % 5], 'normal',
				${id('community', communityOf(compound('n * 11')))}, ${id('compound', compound('n * 11'))},
				${id('grid', compound('n * 11'))}, s.status,
				c.created + interval '1 hour' * (24 + n % 96),
				CASE WHEN s.status IN ('resolved', 'closed') THEN c.created + interval '1 hour' * (n % 150) END,
				CASE WHEN s.status = 'closed' AND n % 7 <> 0 THEN 1 + n % 5 END,
				c.created, c.created + interval '1 hour' * (12 + n % 150), 2000000 + n
			FROM generate_series(0, ${cases - 1}) n
			CROSS JOIN LATERAL (SELECT now() - (n % 365) * interval '1 day' - (n % 3600) * interval '1 second' AS created) c
			CROSS JOIN LATERAL (SELECT (ARRAY['closed','closed','closed','closed','closed','closed','resolved',
				'in_progress','assigned','triaged','reported','rejected','duplicate','closed','closed','closed',
				'resolved','in_progress','assigned','reopened'])[1 + n % 20] AS status) s`,
		`INSERT INTO case_events (id, case_id, community_id, compound_id, grid_id, kind, "from", "to", at, by, sync_version)
			SELECT md5('triage' || k.id)::uuid, k.id, k.community_id, k.compound_id, k.grid_id, 'transition',
				'reported', 'triaged', k.created_at + interval '1 hour', ${id('user', '0')}, k.sync_version + 1000000
			FROM cases k
			UNION ALL
			SELECT md5('close' || k.id)::uuid, k.id, k.community_id, k.compound_id, k.grid_id, 'transition',
				'resolved', 'closed', k.updated_at, ${id('user', '0')}, k.sync_version + 2000000
			FROM cases k WHERE k.status = 'closed'`,
		`INSERT INTO surveys (id, community_id, compound_id, month, scores, overall, by, sync_version)
			SELECT ${id('survey', 'n')}, ${id('community', communityOf(compound('n')))}, ${id('compound', compound('n'))},
				to_char(now() - (n / 2000) * interval '1 month', 'YYYY-MM'),
				jsonb_build_object('overall', 1 + n % 5), 1 + (n * 13) % 5, ${id('user', '0')}, 5000000 + n
			FROM generate_series(0, 23999) n`,
		`INSERT INTO patrols (id, template_id, template_version, community_id, compound_id, grid_id, started_at, status,
				by, sync_version)
			SELECT ${id('patrol', 'n')}, ${id('template', '0')}, 1, ${id('community', communityOf(compound('n * 3')))},
				${id('compound', compound('n * 3'))}, ${id('grid', compound('n * 3'))},
				now() - (n % 365) * interval '1 day', CASE WHEN n % 10 = 0 THEN 'draft' ELSE 'submitted' END,
				${id('user', '0')}, 6000000 + n
			FROM generate_series(0, 49999) n`
	];
}

/** The scans of the big tables in a plan: "observations: Index Only Scan (observations_community_id_observed_at_index)". */
function scansIn(plan: PlanNode, found: Set<string> = new Set()): Set<string> {
	const relation = plan['Relation Name'];
	if (relation && bigTables.has(relation)) {
		const index = plan['Index Name'] ? ` (${plan['Index Name']})` : '';
		found.add(`${relation}: ${plan['Node Type']}${index}`);
	}
	if (plan['Node Type'] === 'Bitmap Heap Scan' && relation) {
		for (const child of plan.Plans ?? [])
			if (child['Index Name']) found.add(`${relation}: Bitmap (${child['Index Name']})`);
	}
	for (const child of plan.Plans ?? []) scansIn(child, found);
	return found;
}

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	'Index Name'?: string;
	Plans?: PlanNode[];
}

export async function benchReview(
	cleanup: Cleanup,
	size: { observations: number; cases: number }
): Promise<ReviewFigures> {
	const url = await createDatabase(cleanup, `gridwalk_bench_review_${process.pid}`);
	const pool = new pg.Pool({ connectionString: url, max: 10 });
	cleanup.add('close review pool', () => pool.end());
	await migrate(drizzle({ client: pool }), { migrationsFolder: path.resolve('drizzle') });

	progress(
		`review: generating ${formatCount(size.observations)} observations and ${formatCount(size.cases)} cases in PostgreSQL`
	);
	const started = performance.now();
	for (const statement of districtSql(size.observations, size.cases)) await pool.query(statement);
	await pool.query('VACUUM ANALYZE');
	const generateMs = Math.round(performance.now() - started);
	progress(`review: generated in ${(generateMs / 1000).toFixed(1)} s`);

	const captured: { query: string; params: unknown[] }[] = [];
	const db = drizzle({
		client: pool,
		schema,
		casing: 'snake_case',
		logger: { logQuery: (query, params) => captured.push({ query, params }) }
	}) as unknown as Db;
	const communities = (
		await pool.query<{ id: string }>(
			`SELECT id FROM communities WHERE id IN (md5('community0')::uuid, md5('community1')::uuid)`
		)
	).rows.map((r) => r.id);
	const compoundIds = (
		await pool.query<{ id: string }>(`SELECT id FROM compounds WHERE community_id = ANY($1::uuid[])`, [
			`{${communities.join(',')}}`
		])
	).rows.map((r) => r.id);
	const coordinator: Scope = { all: false, communityIds: communities, compoundIds, gridIds: [] };
	const [{ month }] = (
		await pool.query<{ month: string }>(
			`SELECT to_char((now() AT TIME ZONE '${timeZone}') - interval '1 month', 'YYYY-MM') AS month`
		)
	).rows;
	const policy = { thresholdPercent: 60, patrolsPlanned: 2 };

	const measures: { measure: string; run: () => Promise<unknown> }[] = [
		{
			measure: 'dashboard · coordinator (2 communities), last 12 weeks',
			run: () => dashboard({ db, scope: coordinator, timeZone }, {})
		},
		{
			measure: 'dashboard · admin (39 communities), last 12 weeks',
			run: () => dashboard({ db, scope: everywhere, timeZone }, {})
		},
		{
			measure: 'dashboard · admin, one compound, one year',
			run: () =>
				dashboard({ db, scope: everywhere, timeZone }, { compoundId: compoundIds[0], from: '2000-01-01' })
		},
		{
			measure: `assessment ${month} · coordinator`,
			run: () => monthlyAssessment({ db, scope: coordinator, timeZone }, { month }, policy)
		},
		{
			measure: `assessment ${month} · admin (200 compounds)`,
			run: () => monthlyAssessment({ db, scope: everywhere, timeZone }, { month }, policy)
		}
	];

	const timings: ReviewFigures['timings'] = [];
	const plans: ReviewFigures['plans'] = [];
	for (const { measure, run } of measures) {
		captured.length = 0;
		await run();
		const queries = [...captured];
		const ms: number[] = [];
		for (let i = 0; i < runs; i++) {
			const t0 = performance.now();
			await run();
			ms.push(performance.now() - t0);
		}
		ms.sort((a, b) => a - b);
		timings.push({
			measure,
			medianMs: Math.round(ms[Math.floor(runs / 2)]),
			worstMs: Math.round(ms[runs - 1]),
			targetMs
		});
		const scans = new Set<string>();
		for (const { query, params } of queries) {
			const [row] = (await pool.query(`EXPLAIN (FORMAT JSON) ${query}`, params)).rows;
			scansIn((row['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan, scans);
		}
		plans.push({ measure, scans: [...scans].sort() });
		progress(`review: ${measure}: median ${timings.at(-1)!.medianMs} ms`);
	}
	return {
		observations: size.observations,
		cases: size.cases,
		generateMs,
		timings,
		plans,
		load: loadavg()[0]
	};
}

export function reviewLines(figures: ReviewFigures): string[] {
	const lines = [
		`review queries on PostgreSQL: ${formatCount(figures.observations)} observations, ${formatCount(figures.cases)} cases ` +
			`(generated in ${(figures.generateMs / 1000).toFixed(1)} s), warm, median of ${runs} runs, ` +
			`1-minute load average ${figures.load.toFixed(1)} on ${cpus().length} cores:`
	];
	const width = Math.max(...figures.timings.map((t) => t.measure.length));
	for (const t of figures.timings) {
		const verdict = t.medianMs <= t.targetMs ? 'met' : 'NOT met';
		lines.push(
			`  ${t.measure.padEnd(width)}  ${String(t.medianMs).padStart(5)} ms (worst ${t.worstMs} ms)  (target ≤ ${t.targetMs} ms: ${verdict})`
		);
	}
	lines.push('  scans of the big tables in the plans (EXPLAIN):');
	for (const plan of figures.plans) {
		const seq = plan.scans.filter((s) => s.includes('Seq Scan'));
		lines.push(
			`    ${plan.measure}: ${plan.scans.join('; ')}${seq.length ? `  ← ${seq.length} sequential` : ''}`
		);
	}
	return lines;
}
