import { sql } from 'drizzle-orm';
import type { ReferenceImportRequest, ReferenceKind, ReferenceRowAction } from '$lib/domain';
import type { Db } from '../db';
import { anyOf } from '../db/rows';
import { buildings, communities, compounds, grids } from '../db/schema';
import { checkRow, type CheckedRow, type Draft, type FieldError } from './drafts';
import { readSource } from './source';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

/** One row of the plan: what the import would do with it, and the row to write. */
export interface PlannedRow {
	row: number;
	code: string | null;
	name: string | null;
	action: ReferenceRowAction;
	changed: string[];
	errors: FieldError[];
	write?: { id: string; values: Record<string, unknown> };
}

export interface Plan {
	kind: ReferenceKind;
	rows: PlannedRow[];
}

export const tableOf = { compound: compounds, grid: grids, building: buildings } as const;

/**
 * Reads the file, checks every row, resolves its codes against the database and says, row by row,
 * whether the import would create, update, leave unchanged or refuse it. Writes nothing.
 */
export async function planImport(db: Queryable, request: ReferenceImportRequest): Promise<Plan> {
	const checked = readSource(request.format, request.content).map((source) =>
		checkRow(request.kind, request.format, request.datum, source)
	);
	refuseRepeats(checked);
	const drafts = checked.flatMap((c) => (c.draft ? [c.draft] : []));
	const known = await lookUp(db, drafts);
	return {
		kind: request.kind,
		rows: checked.map((c) => {
			if (!c.draft || c.errors.length) return refused(c, c.errors);
			const errors: FieldError[] = [];
			const target = resolve(c.draft, known, errors);
			if (!target || errors.length) return refused(c, errors);
			const existing = target.existing;
			if (!existing) {
				if (c.draft.kind === 'grid' && !c.draft.boundary) {
					return refused(c, [{ field: 'geometry', messageKey: 'reference.error.gridNeedsBoundary' }]);
				}
				return {
					...base(c),
					action: 'create',
					changed: [],
					errors: [],
					write: { id: crypto.randomUUID(), values: { ...target.defaults, ...target.values } }
				};
			}
			const values = existing.deletedAt ? { ...target.values, deletedAt: null } : target.values;
			const changed = Object.keys(values).filter((field) => !same(values[field], existing[field]));
			if (changed.length === 0) return { ...base(c), action: 'unchanged', changed, errors: [] };
			const delta = Object.fromEntries(changed.map((field) => [field, values[field]]));
			return { ...base(c), action: 'update', changed, errors: [], write: { id: existing.id, values: delta } };
		})
	};
}

const base = (c: CheckedRow) => ({ row: c.row, code: c.code, name: c.name });
const refused = (c: CheckedRow, errors: FieldError[]): PlannedRow => ({
	...base(c),
	action: 'refused',
	changed: [],
	errors
});

/** The same record named twice in one file: the later row is refused, pointing at the first. */
function refuseRepeats(checked: CheckedRow[]) {
	const first = new Map<string, number>();
	for (const c of checked) {
		if (!c.draft) continue;
		const d = c.draft;
		const key = d.kind === 'building' ? `${d.community}/${d.compound}/${d.code}` : `${d.community}/${d.code}`;
		const seen = first.get(key);
		if (seen === undefined) first.set(key, c.row);
		else
			c.errors.push({
				field: 'code',
				messageKey: 'reference.error.duplicate',
				params: { code: d.code, row: seen }
			});
	}
}

type Stored = Record<string, unknown> & { id: string; deletedAt: Date | null };

interface Known {
	communities: Map<string, string>;
	compounds: Map<string, Stored>;
	grids: Map<string, Stored>;
	buildings: Map<string, Stored>;
}

/** Everything the rows' codes may name, read in a few queries: communities, then their places. */
async function lookUp(db: Queryable, drafts: Draft[]): Promise<Known> {
	const known: Known = {
		communities: new Map(),
		compounds: new Map(),
		grids: new Map(),
		buildings: new Map()
	};
	const communityCodes = [...new Set(drafts.map((d) => d.community))];
	if (communityCodes.length === 0) return known;
	const found = await db
		.select({ id: communities.id, code: communities.code })
		.from(communities)
		.where(anyOf(communities.code, communityCodes));
	for (const c of found) known.communities.set(c.code, c.id);
	const communityIds = found.map((c) => c.id);
	if (communityIds.length === 0) return known;
	const key = (...parts: (string | null)[]) => parts.join('/');
	for (const row of await db.select().from(compounds).where(anyOf(compounds.communityId, communityIds))) {
		if (row.code) known.compounds.set(key(row.communityId, row.code), row);
	}
	for (const row of await db.select().from(grids).where(anyOf(grids.communityId, communityIds))) {
		if (row.code) known.grids.set(key(row.communityId, row.code), row);
	}
	if (drafts.some((d) => d.kind === 'building')) {
		const compoundIds = [...known.compounds.values()].map((c) => c.id);
		const rows = compoundIds.length
			? await db.select().from(buildings).where(anyOf(buildings.compoundId, compoundIds))
			: [];
		for (const row of rows) if (row.code) known.buildings.set(key(row.compoundId, row.code), row);
	}
	return known;
}

interface Target {
	existing?: Stored;
	/** The fields the row sets. */
	values: Record<string, unknown>;
	/** What a new record takes for the fields the row leaves out. */
	defaults: Record<string, unknown>;
}

function resolve(d: Draft, known: Known, errors: FieldError[]): Target | null {
	const communityId = known.communities.get(d.community);
	if (!communityId) {
		errors.push({
			field: 'community',
			messageKey: 'reference.error.unknownCommunity',
			params: { code: d.community }
		});
		return null;
	}
	const defined = (values: Record<string, unknown>) =>
		Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
	const compoundNamed = (code: string, field: string) => {
		const found = known.compounds.get(`${communityId}/${code}`);
		if (!found) {
			errors.push({
				field,
				messageKey: 'reference.error.unknownCompound',
				params: { community: d.community, code }
			});
		}
		return found;
	};
	if (d.kind === 'compound') {
		return {
			existing: known.compounds.get(`${communityId}/${d.code}`),
			values: defined({
				communityId,
				code: d.code,
				name: d.name,
				address: d.address,
				households: d.households,
				centroid: d.centroid,
				boundary: d.boundary
			}),
			defaults: { address: '', households: 0, boundary: null }
		};
	}
	if (d.kind === 'grid') {
		const compoundIds = d.compounds?.map((code) => compoundNamed(code, 'compounds')?.id);
		return {
			existing: known.grids.get(`${communityId}/${d.code}`),
			values: defined({ communityId, code: d.code, name: d.name, compoundIds, boundary: d.boundary }),
			defaults: { compoundIds: [], leaderUserId: null }
		};
	}
	const compound = compoundNamed(d.compound, 'compound');
	const grid = known.grids.get(`${communityId}/${d.grid}`);
	if (!grid) {
		errors.push({
			field: 'grid',
			messageKey: 'reference.error.unknownGrid',
			params: { community: d.community, code: d.grid }
		});
	} else if (compound && !(grid.compoundIds as string[]).includes(compound.id)) {
		errors.push({
			field: 'grid',
			messageKey: 'reference.error.gridElsewhere',
			params: { grid: d.grid, compound: d.compound }
		});
	}
	if (!compound || !grid) return null;
	return {
		existing: known.buildings.get(`${compound.id}/${d.code}`),
		values: defined({
			compoundId: compound.id,
			gridId: grid.id,
			code: d.code,
			name: d.name,
			units: d.units,
			floors: d.floors,
			households: d.households,
			point: d.point,
			footprint: d.footprint
		}),
		defaults: { units: 0, floors: 0, households: 0, footprint: null }
	};
}

/** Equal as stored: jsonb keeps its own key order, so objects compare with their keys sorted. */
function same(a: unknown, b: unknown): boolean {
	return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
	if (value === undefined) return 'null';
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object' && !(value instanceof Date)) {
		const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/** One import at a time: two at once could both decide to create the same code. */
export const lockImports = (tx: Tx) => tx.execute(sql`SELECT pg_advisory_xact_lock(${7_306_001})`);
