import { getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db';
import * as tables from '../db/schema';
import { toRow } from '../db/rows';
import { nextVersion } from '../db/version';
import { hashPassword } from '../auth/password';
import { generateDistrict, type DemoDistrict } from './generate';

/** Rows per INSERT: large enough to be quick, small enough for PostgreSQL's parameter limit. */
const batchSize = 400;

/**
 * Writes the seeded demo district into an empty database in one transaction. Every demo account
 * gets the same password, hashed once (argon2id per account would take seconds for ~700 people).
 */
export async function loadDemoDistrict(db: Db, options: { seed: number; password: string; now: Date }) {
	const district = generateDistrict({ seed: options.seed, now: options.now });
	const passwordHash = await hashPassword(options.password);
	const rows = demoRows(district, passwordHash);
	const total = rows.reduce((sum, [, list]) => sum + list.length, 0);
	await db.transaction(async (tx) => {
		let version = await nextVersion(tx, total);
		for (const [table, list] of rows) {
			for (let i = 0; i < list.length; i += batchSize) {
				const batch = list.slice(i, i + batchSize).map((row) => ({ ...row, syncVersion: version++ }));
				await tx.insert(table).values(batch as never);
			}
		}
	});
	return Object.fromEntries(rows.map(([table, list]) => [getTableName(table), list.length]));
}

type RowList = [PgTable, Record<string, unknown>[]];

/** Each record with the place columns (community, compound, grid) the server derives for it. */
function demoRows(d: DemoDistrict, passwordHash: string): RowList[] {
	const compoundById = new Map(d.compounds.map((c) => [c.id, c]));
	const buildingById = new Map(d.buildings.map((b) => [b.id, b]));
	const gridById = new Map(d.grids.map((g) => [g.id, g]));
	const caseById = new Map(d.cases.map((c) => [c.id, c]));
	const resolvedAt = new Map(
		d.caseEvents.filter((e) => e.kind === 'transition' && e.to === 'resolved').map((e) => [e.caseId, e.at])
	);
	const place = (compoundId: string, gridId?: string | null) => ({
		communityId: compoundById.get(compoundId)!.communityId,
		compoundId,
		gridId: gridId ?? null
	});
	const gridOfBuilding = (buildingId?: string | null) =>
		buildingId ? buildingById.get(buildingId)?.gridId : undefined;
	const rows = (table: PgTable, records: object[], extra: (r: never) => object = () => ({})) =>
		[table, records.map((r) => toRow(table, r, extra(r as never)))] as RowList;

	return [
		rows(tables.communities, d.communities),
		rows(tables.compounds, d.compounds),
		rows(tables.grids, d.grids),
		rows(tables.buildings, d.buildings),
		rows(tables.teams, d.teams),
		rows(tables.checklistTemplates, d.checklistTemplates),
		rows(tables.users, d.users, () => ({ passwordHash })),
		rows(tables.patrols, d.patrols, (p: DemoDistrict['patrols'][number]) => place(p.compoundId, p.gridId)),
		rows(tables.observations, d.observations, (o: DemoDistrict['observations'][number]) =>
			place(o.compoundId, o.gridId ?? gridOfBuilding(o.buildingId))
		),
		rows(tables.feedback, d.feedback, (f: DemoDistrict['feedback'][number]) =>
			place(f.compoundId, gridOfBuilding(f.buildingId))
		),
		rows(tables.visits, d.visits, (v: DemoDistrict['visits'][number]) => ({
			...place(buildingById.get(v.buildingId)!.compoundId, v.gridId),
			communityId: gridById.get(v.gridId)!.communityId
		})),
		rows(tables.surveys, d.surveys, (s: DemoDistrict['surveys'][number]) => ({
			...place(s.compoundId),
			overall: s.scores.overall
		})),
		rows(tables.cases, d.cases, (c: DemoDistrict['cases'][number]) => ({
			...place(c.compoundId, c.gridId),
			resolvedAt: resolvedAt.get(c.id) ?? null
		})),
		rows(tables.caseEvents, d.caseEvents, (e: DemoDistrict['caseEvents'][number]) => {
			const owner = caseById.get(e.caseId)!;
			return place(owner.compoundId, owner.gridId);
		})
	];
}
