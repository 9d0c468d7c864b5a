import {
	inScope,
	type Actor,
	type Building,
	type CaseRecord,
	type CaseStatus,
	type Category,
	type Compound,
	type Grid,
	type LatLng
} from '$lib/domain';
import type { MapCase, MapFeedback, MapObservation, MapSurvey, MapVisit } from './mapFields';

/**
 * What the map shows, made from the device's data (so it opens offline): the reference places in the
 * person's scope, each grid's figures, and the cases and observations as points. Pure, tested in Node.
 */

/** How grids are coloured: by open cases, by overdue cases, or by residents' satisfaction. */
export const gridModes = ['open', 'overdue', 'satisfaction'] as const;
export type GridMode = (typeof gridModes)[number];

/** Where a record stands, as the map colours it. */
export const statusGroups = ['overdue', 'open', 'resolved', 'closed', 'dropped'] as const;
export type StatusGroup = (typeof statusGroups)[number];

export const statusColours: Record<StatusGroup, string> = {
	overdue: '#b42318',
	open: '#dc6803',
	resolved: '#067647',
	closed: '#475467',
	dropped: '#98a2b3'
};

export type RecordKind = 'case' | 'observation';

/** A case or an observation as a point on the map. */
export interface MapRecord {
	kind: RecordKind;
	id: string;
	category: Category;
	/** The case's status, or for an observation its case's ('resolved' when resolved on the spot). */
	status: CaseStatus;
	group: StatusGroup;
	/** When it was reported (ISO). */
	at: string;
	point: LatLng;
	mine: boolean;
	/** A case's title, an observation's subtype key. */
	title: string;
	compoundId: string;
	buildingId: string | null;
	gridId: string | null;
	/** Its page, when the person has one to open. */
	href: string | null;
}

export interface GridFigures {
	open: number;
	overdue: number;
	/** Share of satisfaction answers (cases' and surveys' overall) that are 4 or 5; null with no answers. */
	satisfaction: number | null;
	answers: number;
}

/** A grid's figures before its records are known. */
export const noFigures: Readonly<GridFigures> = Object.freeze({
	open: 0,
	overdue: 0,
	satisfaction: null,
	answers: 0
});

export interface MapGrid {
	grid: Grid;
	figures: GridFigures;
}

export interface MapPlaces {
	grids: MapGrid[];
	compounds: Compound[];
	buildings: Building[];
}

/** The reference places on the device: few, and read first so that they draw while the records load. */
export interface PlaceRows {
	grids: Grid[];
	compounds: Compound[];
	buildings: Building[];
}

/**
 * What was found and said on the device: cases, the observations, feedback and visits behind them, and
 * the surveys' answers; only the fields the map reads (`mapFields`), as the device's digests keep them.
 */
export interface RecordRows {
	cases: MapCase[];
	observations: MapObservation[];
	feedback: MapFeedback[];
	visits: MapVisit[];
	surveys: MapSurvey[];
}

export type DeviceRecords = PlaceRows & RecordRows;

/** The places in the person's scope, before any record is known. */
export type ScopedPlaces = PlaceRows;

const openStatuses: ReadonlySet<CaseStatus> = new Set([
	'reported',
	'triaged',
	'assigned',
	'in_progress',
	'reopened'
]);

export function caseGroup(record: Pick<CaseRecord, 'status' | 'dueAt'>, now: number): StatusGroup {
	if (openStatuses.has(record.status)) {
		return record.dueAt && Date.parse(record.dueAt) < now ? 'overdue' : 'open';
	}
	if (record.status === 'resolved') return 'resolved';
	if (record.status === 'closed') return 'closed';
	return 'dropped';
}

/** A grid is in the person's scope when the grid itself, or (for volunteers) one of its compounds, is. */
function gridInScope(actor: Actor, grid: Grid): boolean {
	return grid.compoundIds.some((compoundId) =>
		inScope(actor, { communityId: grid.communityId, compoundId, gridId: grid.id })
	);
}

/** Everything the map draws, from the device's rows, for this person, at `now`. */
export function mapContents(
	actor: Actor,
	rows: DeviceRecords,
	now: number
): { places: MapPlaces; records: MapRecord[] } {
	const scoped = scopePlaces(actor, rows);
	const records = mapRecords(actor, rows, rows, now);
	return { places: { ...scoped, grids: gridFigures(scoped.grids, records, rows) }, records };
}

/** The grids, compounds and buildings in the person's scope. */
export function scopePlaces(actor: Actor, rows: PlaceRows): ScopedPlaces {
	const compounds = rows.compounds.filter((c) =>
		inScope(actor, { communityId: c.communityId, compoundId: c.id })
	);
	const compoundsById = new Map(rows.compounds.map((c) => [c.id, c]));
	const buildings = rows.buildings.filter((b) => {
		const compound = compoundsById.get(b.compoundId);
		return (
			!!compound &&
			inScope(actor, { communityId: compound.communityId, compoundId: b.compoundId, gridId: b.gridId })
		);
	});
	const grids = rows.grids.filter((g) => gridInScope(actor, g));
	return { grids, compounds, buildings };
}

/**
 * The cases and observations as points: where each was found (a case where its source was, else at its
 * building or compound), its status group at `now`, and whether it is the person's own.
 */
export function mapRecords(actor: Actor, places: PlaceRows, rows: RecordRows, now: number): MapRecord[] {
	const compoundsById = new Map(places.compounds.map((c) => [c.id, c]));
	const buildingsById = new Map(places.buildings.map((b) => [b.id, b]));

	const sources = new Map<string, { by: string; buildingId: string | null; point: LatLng | null }>();
	for (const o of rows.observations) {
		sources.set(o.id, { by: o.by, buildingId: o.buildingId ?? null, point: o.location });
	}
	for (const f of rows.feedback)
		sources.set(f.id, { by: f.by, buildingId: f.buildingId ?? null, point: null });
	for (const v of rows.visits) {
		sources.set(v.id, { by: v.by, buildingId: v.buildingId, point: v.location ?? null });
	}

	const records: MapRecord[] = [];
	const caseOf = new Map<string, MapCase>();
	for (const c of rows.cases) {
		caseOf.set(c.source.id, c);
		const source = sources.get(c.source.id);
		const buildingId = source?.buildingId ?? null;
		const building = buildingId ? buildingsById.get(buildingId) : undefined;
		const point = source?.point ?? building?.point ?? compoundsById.get(c.compoundId)?.centroid;
		if (!point) continue;
		records.push({
			kind: 'case',
			id: c.id,
			category: c.category,
			status: c.status,
			group: caseGroup(c, now),
			at: c.createdAt,
			point: { lat: point.lat, lng: point.lng },
			mine: c.assigneeId === actor.id || source?.by === actor.id,
			title: c.title,
			compoundId: c.compoundId,
			buildingId,
			gridId: c.gridId ?? building?.gridId ?? null,
			href: `/cases/${c.id}`
		});
	}
	for (const o of rows.observations) {
		const opened = caseOf.get(o.id);
		const status: CaseStatus = opened?.status ?? (o.resolvedOnSpot ? 'resolved' : 'reported');
		records.push({
			kind: 'observation',
			id: o.id,
			category: o.category,
			status,
			group: opened ? caseGroup(opened, now) : o.resolvedOnSpot ? 'resolved' : 'open',
			at: o.observedAt,
			// The stored location itself (read-only here): one object fewer for each of thousands of points.
			point: o.location,
			mine: o.by === actor.id,
			title: o.subtype,
			compoundId: o.compoundId,
			buildingId: o.buildingId ?? null,
			gridId: o.gridId ?? (o.buildingId ? (buildingsById.get(o.buildingId)?.gridId ?? null) : null),
			href: o.by === actor.id ? `/mine/observation/${o.id}` : null
		});
	}
	return records;
}

/** Each grid's open and overdue cases and its residents' satisfaction (cases' and surveys' answers). */
export function gridFigures(
	grids: Grid[],
	records: readonly MapRecord[],
	rows: Pick<RecordRows, 'cases' | 'surveys'>
): MapGrid[] {
	const figures = new Map<string, GridFigures>(
		grids.map((g) => [g.id, { open: 0, overdue: 0, satisfaction: null, answers: 0 }])
	);
	const satisfied = new Map<string, number>();
	const answer = (gridId: string, score: number) => {
		const f = figures.get(gridId);
		if (!f) return;
		f.answers++;
		if (score >= 4) satisfied.set(gridId, (satisfied.get(gridId) ?? 0) + 1);
	};
	const casesById = new Map(rows.cases.map((c) => [c.id, c]));
	for (const record of records) {
		if (record.kind !== 'case' || !record.gridId) continue;
		const f = figures.get(record.gridId);
		if (!f) continue;
		if (record.group === 'open' || record.group === 'overdue') f.open++;
		if (record.group === 'overdue') f.overdue++;
		const score = casesById.get(record.id)?.satisfaction;
		if (score) answer(record.gridId, score);
	}
	const gridsOfCompound = new Map<string, string[]>();
	for (const g of grids) {
		for (const c of g.compoundIds) gridsOfCompound.set(c, [...(gridsOfCompound.get(c) ?? []), g.id]);
	}
	for (const s of rows.surveys) {
		for (const gridId of gridsOfCompound.get(s.compoundId) ?? []) answer(gridId, s.scores.overall);
	}
	return grids.map((grid) => {
		const f = figures.get(grid.id)!;
		f.satisfaction = f.answers ? (satisfied.get(grid.id) ?? 0) / f.answers : null;
		return { grid, figures: f };
	});
}

/** What the person chose to see. Empty lists mean "all". Dates are `YYYY-MM-DD`, in the device's time zone. */
export interface MapFilters {
	kinds: RecordKind[];
	categories: Category[];
	groups: StatusGroup[];
	from: string;
	to: string;
	mine: boolean;
}

export const noFilters = (): MapFilters => ({
	kinds: ['case', 'observation'],
	categories: [],
	groups: [],
	from: '',
	to: '',
	mine: false
});

const dayStart = (day: string) => new Date(`${day}T00:00:00`).getTime();

export function filterRecords(records: readonly MapRecord[], filters: MapFilters): MapRecord[] {
	// Read once: `filters` is often the page's reactive state, whose every read is tracked (20,000 times a read).
	const kinds = new Set(filters.kinds);
	const categories = filters.categories.length ? new Set(filters.categories) : null;
	const groups = filters.groups.length ? new Set(filters.groups) : null;
	const mine = filters.mine;
	const from = filters.from ? dayStart(filters.from) : -Infinity;
	const to = filters.to ? dayStart(filters.to) + 86_400_000 : Infinity;
	const dated = from > -Infinity || to < Infinity;
	return records.filter((r) => {
		if (!kinds.has(r.kind)) return false;
		if (categories && !categories.has(r.category)) return false;
		if (groups && !groups.has(r.group)) return false;
		if (mine && !r.mine) return false;
		if (!dated) return true;
		const at = Date.parse(r.at);
		return at >= from && at < to;
	});
}

/**
 * A cluster's records by status, as the shares of a ring (most pressing first): each group with records,
 * its count and where its arc starts and ends, in per cent of the ring.
 */
export function statusShares(
	counts: Readonly<Record<StatusGroup, number>>
): { group: StatusGroup; count: number; from: number; to: number }[] {
	const total = statusGroups.reduce((sum, g) => sum + counts[g], 0);
	if (total === 0) return [];
	let from = 0;
	return statusGroups
		.filter((group) => counts[group] > 0)
		.map((group) => {
			const to = from + (counts[group] / total) * 100;
			const share = { group, count: counts[group], from, to };
			from = to;
			return share;
		});
}

/** A step of a grid colour scale: grids whose value is at least `min` (and below the next step's). */
export interface ScaleStep {
	min: number;
	colour: string;
}

/** Colour scales, lightest (good) first. Satisfaction counts in per cent; below 60 % is flagged (DOMAIN.md). */
export const gridScales: Record<GridMode, ScaleStep[]> = {
	open: [
		{ min: 0, colour: '#e6f4f1' },
		{ min: 1, colour: '#fde68a' },
		{ min: 3, colour: '#fb923c' },
		{ min: 6, colour: '#dc2626' },
		{ min: 11, colour: '#7f1d1d' }
	],
	overdue: [
		{ min: 0, colour: '#e6f4f1' },
		{ min: 1, colour: '#fb923c' },
		{ min: 2, colour: '#dc2626' },
		{ min: 4, colour: '#7f1d1d' }
	],
	satisfaction: [
		{ min: 0, colour: '#b42318' },
		{ min: 60, colour: '#fb923c' },
		{ min: 75, colour: '#86efac' },
		{ min: 90, colour: '#15803d' }
	]
};

/** Grids with no satisfaction answers yet. */
export const noAnswersColour = '#cbd2d9';

export function gridValue(figures: GridFigures, mode: GridMode): number | null {
	if (mode === 'satisfaction')
		return figures.satisfaction === null ? null : Math.round(figures.satisfaction * 100);
	return figures[mode];
}

export function gridColour(figures: GridFigures, mode: GridMode): string {
	const value = gridValue(figures, mode);
	if (value === null) return noAnswersColour;
	const steps = gridScales[mode];
	return [...steps].reverse().find((step) => value >= step.min)?.colour ?? steps[0].colour;
}

/** A compound or building the search box can fly to. */
export interface PlaceHit {
	kind: 'compound' | 'building';
	id: string;
	name: string;
	/** The compound a building belongs to; a compound's address. */
	context: string;
	point: LatLng;
}

const folded = (text: string) => text.toLocaleLowerCase().replace(/\s+/g, '');

/** Compounds first, then buildings, whose name (or compound + building name) holds what was typed. */
export function searchPlaces(
	places: Pick<MapPlaces, 'compounds' | 'buildings'>,
	query: string,
	limit = 8
): PlaceHit[] {
	const wanted = folded(query);
	if (!wanted) return [];
	const compoundsById = new Map(places.compounds.map((c) => [c.id, c]));
	const hits: PlaceHit[] = [];
	for (const c of places.compounds) {
		if ([c.name, c.address].some((text) => folded(text).includes(wanted))) {
			hits.push({ kind: 'compound', id: c.id, name: c.name, context: c.address, point: c.centroid });
		}
	}
	for (const b of places.buildings) {
		const compound = compoundsById.get(b.compoundId)?.name ?? '';
		if ([b.name, compound + b.name].some((text) => folded(text).includes(wanted))) {
			hits.push({ kind: 'building', id: b.id, name: b.name, context: compound, point: b.point });
		}
	}
	return hits.slice(0, limit);
}

/** The records of one building, newest first: what a building's popup lists. */
export function recordsAt(records: readonly MapRecord[], buildingId: string): MapRecord[] {
	return records.filter((r) => r.buildingId === buildingId).sort((a, b) => b.at.localeCompare(a.at));
}
