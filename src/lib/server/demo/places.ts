import type { Building, Community, Compound, Grid } from '$lib/domain';
import {
	boundsOf,
	centroid,
	clipToBand,
	containsRect,
	height,
	hull,
	inset,
	outlineIn,
	rectRing,
	toLatLng,
	toPolygon,
	width,
	type Point,
	type Rect
} from './geometry';
import {
	compoundStems,
	compoundSuffixes,
	districtCode,
	roads,
	subdistricts,
	workUnitSuffixes,
	workUnits
} from './names';
import type { Random } from './random';

/** Sizes the district aims at (DOMAIN.md "Demo district"). */
const placeTargets = { compounds: 200, buildings: 1500, grids: 300 } as const;

export interface Places {
	communities: Community[];
	compounds: Compound[];
	buildings: Building[];
	/** Leaders are chosen later, with the people. */
	grids: Grid[];
}

/** Where a compound sits in the layout: communities are blocks of 2-row cells, packed into east–west bands. */
interface Plot {
	community: Community;
	band: number;
	row: 0 | 1;
	column: number;
	cell: Rect;
}

interface PlannedCompound {
	plot: Plot;
	compound: Compound;
	outline: Point[];
	old: boolean;
	buildingCount: number;
}

const maxBandColumns = 18;
const blockGap = 35;
const bandGap = 45;
const gridGap = 8;

export function generatePlaces(rng: Random): Places {
	const communities = subdistricts.flatMap((subdistrict, s) =>
		subdistrict.communities.map((name, c): Community => ({
			id: rng.uuid(),
			name,
			code: `${districtCode}${pad(s + 1)}${pad(c + 1)}`
		}))
	);
	const plots = layOut(rng, communities);
	const planned = nameCompounds(rng, plots);
	allocate(
		rng,
		planned.map((p) => (p.old ? rng.float(0.3, 0.7) : rng.float(0.8, 1.6))),
		planned.map((p) => (p.old ? 2 : 3)),
		planned.map((p) => (p.old ? 8 : 18)),
		placeTargets.buildings
	).forEach((count, i) => (planned[i].buildingCount = count));

	const pairs = sharedGridPairs(rng, planned);
	const paired = new Set(pairs.flat());
	const single = planned.filter((p) => !paired.has(p));
	const gridCounts = allocate(
		rng,
		single.map((p) => p.buildingCount),
		single.map(() => 1),
		single.map((p) => Math.max(1, Math.min(4, Math.floor(p.buildingCount / 2)))),
		placeTargets.grids - pairs.length
	);

	const buildings: Building[] = [];
	const grids: Grid[] = [];
	const gridNumbers = new Map<string, number>();
	const numbered = new Map<string, number>();
	const addGrid = (community: Community, compounds: Compound[], ring: Point[]): Grid => {
		const n = (gridNumbers.get(community.id) ?? 0) + 1;
		gridNumbers.set(community.id, n);
		const grid: Grid = {
			id: rng.uuid(),
			communityId: community.id,
			compoundIds: compounds.map((c) => c.id),
			code: `W${pad(n)}`,
			name: `${community.name}第${n}网格`,
			boundary: toPolygon(ring),
			leaderUserId: null
		};
		grids.push(grid);
		return grid;
	};
	const addBuildings = (planned: PlannedCompound, grid: Grid, ring: Point[], count: number) => {
		for (const footprint of footprintsIn(rng, ring, count)) {
			const floors = planned.old
				? rng.weighted([
						[5, 2],
						[6, 5],
						[7, 2]
					])
				: rng.pick([6, 11, 11, 18, 18, 26, 33]);
			const units = planned.old ? rng.int(2, 4) : rng.int(1, 3);
			const perFloor = floors > 11 ? 2 : rng.int(2, 3);
			const x = (footprint.x0 + footprint.x1) / 2;
			const y = (footprint.y0 + footprint.y1) / 2;
			const n = (numbered.get(planned.compound.id) ?? 0) + 1;
			numbered.set(planned.compound.id, n);
			buildings.push({
				id: rng.uuid(),
				compoundId: planned.compound.id,
				gridId: grid.id,
				code: String(n),
				name: `${n}号楼`,
				units,
				floors,
				households: units * floors * perFloor,
				footprint: toPolygon(rectRing(footprint)),
				point: toLatLng({ x, y })
			});
		}
	};

	single.forEach((planned, i) => {
		const community = planned.plot.community;
		for (const part of split(rng, planned.outline, planned.buildingCount, gridCounts[i])) {
			addBuildings(planned, addGrid(community, [planned.compound], part.ring), part.ring, part.buildings);
		}
	});
	for (const pair of pairs) {
		const grid = addGrid(
			pair[0].plot.community,
			pair.map((p) => p.compound),
			hull(pair.flatMap((p) => p.outline))
		);
		for (const planned of pair) addBuildings(planned, grid, planned.outline, planned.buildingCount);
	}

	const households = new Map<string, number>();
	for (const b of buildings) households.set(b.compoundId, (households.get(b.compoundId) ?? 0) + b.households);
	const compounds = planned.map(({ compound }) => ({
		...compound,
		households: households.get(compound.id) ?? 0
	}));
	const order = new Map(compounds.map((c, i) => [c.id, i]));
	grids.sort((a, b) => order.get(a.compoundIds[0])! - order.get(b.compoundIds[0])!);
	buildings.sort((a, b) => order.get(a.compoundId)! - order.get(b.compoundId)!);
	return { communities, compounds, buildings, grids };
}

function pad(n: number): string {
	return String(n).padStart(3, '0');
}

/**
 * Each community gets a block of cells two rows high; blocks are packed west to east into bands,
 * separated by roads. A compound stays inside its cell, so no two compounds can overlap.
 */
function layOut(rng: Random, communities: Community[]): Plot[] {
	const perCommunity = allocate(
		rng,
		communities.map(() => 1),
		communities.map(() => 4),
		communities.map(() => 7),
		placeTargets.compounds
	);
	const plots: Plot[] = [];
	let band = 0;
	let bandColumns = 0;
	let x = 0;
	let top = 0;
	let rowHeights = [rng.float(230, 320), rng.float(230, 320)];
	communities.forEach((community, i) => {
		const count = perCommunity[i];
		const columns = Math.ceil(count / 2) + (rng.chance(0.4) ? 1 : 0);
		if (bandColumns + columns > maxBandColumns) {
			band += 1;
			bandColumns = 0;
			x = rng.float(-60, 60);
			top -= rowHeights[0] + rowHeights[1] + bandGap;
			rowHeights = [rng.float(230, 320), rng.float(230, 320)];
		}
		const cells: Omit<Plot, 'community'>[] = [];
		for (let column = 0; column < columns; column++) {
			const w = rng.float(240, 340);
			for (const row of [0, 1] as const) {
				const y1 = top - (row === 0 ? 0 : rowHeights[0]);
				cells.push({
					band,
					row,
					column: bandColumns + column,
					cell: { x0: x, x1: x + w, y0: y1 - rowHeights[row], y1 }
				});
			}
			x += w;
		}
		x += blockGap;
		bandColumns += columns;
		const used = new Set(rng.sample(cells, count));
		for (const cell of cells) if (used.has(cell)) plots.push({ community, ...cell });
	});
	const all = boundsOf(plots.flatMap((p) => rectRing(p.cell)));
	const dx = (all.x0 + all.x1) / 2;
	const dy = (all.y0 + all.y1) / 2;
	return plots.map((p) => ({
		...p,
		cell: { x0: p.cell.x0 - dx, x1: p.cell.x1 - dx, y0: p.cell.y0 - dy, y1: p.cell.y1 - dy }
	}));
}

function nameCompounds(rng: Random, plots: Plot[]): PlannedCompound[] {
	const taken = new Set<string>();
	const west = Math.min(...plots.map((p) => p.cell.x0));
	const perCommunity = new Map<Community, number>();
	return plots.map((plot) => {
		const k = (perCommunity.get(plot.community) ?? 0) + 1;
		perCommunity.set(plot.community, k);
		const old = rng.chance(0.2);
		let name = '';
		for (let attempt = 0; !name || taken.has(name); attempt++) {
			name = old
				? `${rng.pick(workUnits)}${rng.pick(workUnitSuffixes)}`
				: `${rng.pick(compoundStems)}${rng.pick(compoundSuffixes)}`;
			if (attempt > 20) name += rng.pick(['一期', '二期', '三期', '北区', '南区']);
		}
		taken.add(name);
		const road = roads[(plot.band + plot.row) % roads.length];
		const number = 2 * Math.floor((plot.cell.x0 - west) / 25) + (plot.row === 0 ? 2 : 1);
		const cell = inset(plot.cell, rng.float(10, 18), rng.float(10, 18));
		const outline = outlineIn(rng, cell);
		return {
			plot,
			old,
			outline,
			buildingCount: 0,
			compound: {
				id: rng.uuid(),
				communityId: plot.community.id,
				code: `${plot.community.code}${pad(k)}`,
				name,
				address: `${road}${number}号`,
				households: 0,
				boundary: toPolygon(outline),
				centroid: toLatLng(centroid(outline))
			}
		};
	});
}

/**
 * Spreads `total` over the entries: each starts at its minimum, the rest goes one at a time
 * to an entry picked by weight among those below their maximum.
 */
function allocate(
	rng: Random,
	weights: number[],
	minimum: number[],
	maximum: number[],
	total: number
): number[] {
	const counts = [...minimum];
	let left = total - counts.reduce((sum, n) => sum + n, 0);
	while (left > 0) {
		const open = counts.flatMap((n, i) => (n < maximum[i] ? [[i, weights[i]] as const] : []));
		if (open.length === 0) break;
		counts[rng.weighted(open)] += 1;
		left -= 1;
	}
	return counts;
}

/** A few small neighbouring compounds of one community share one grid, as old work-unit yards often do. */
function sharedGridPairs(rng: Random, planned: PlannedCompound[]): [PlannedCompound, PlannedCompound][] {
	const small = planned.filter((p) => p.buildingCount <= 4);
	const candidates = small.flatMap((a) =>
		small
			.filter(
				(b) =>
					b.plot.community === a.plot.community &&
					b.plot.band === a.plot.band &&
					b.plot.row === a.plot.row &&
					b.plot.column === a.plot.column + 1
			)
			.map((b) => [a, b] as [PlannedCompound, PlannedCompound])
	);
	const used = new Set<PlannedCompound>();
	const pairs: [PlannedCompound, PlannedCompound][] = [];
	for (const pair of rng.shuffle(candidates)) {
		if (pairs.length >= 6 || pair.some((p) => used.has(p))) continue;
		pair.forEach((p) => used.add(p));
		pairs.push(pair);
	}
	return pairs;
}

/** Cuts a compound into `parts` strips across its longer side, a lane between them, buildings shared out. */
function split(rng: Random, outline: Point[], buildings: number, parts: number) {
	const b = boundsOf(outline);
	const axis = width(b) >= height(b) ? 'x' : 'y';
	const [lo, hi] = axis === 'x' ? [b.x0, b.x1] : [b.y0, b.y1];
	const shares = Array.from(
		{ length: parts },
		(_, i) => Math.floor(buildings / parts) + (i < buildings % parts ? 1 : 0)
	);
	const shuffled = rng.shuffle(shares);
	let start = lo;
	return shuffled.map((share, i) => {
		const end = i === parts - 1 ? hi : start + ((hi - lo) * share) / buildings;
		const ring = clipToBand(
			outline,
			axis,
			i === 0 ? lo : start + gridGap / 2,
			i === parts - 1 ? hi : end - gridGap / 2
		);
		start = end;
		return { ring, buildings: share };
	});
}

/** Rows of slab buildings inside a convex ring; the rows shrink toward the middle until every slab fits. */
function footprintsIn(rng: Random, ring: Point[], count: number): Rect[] {
	const b = boundsOf(ring);
	for (let shrink = 0.08; shrink < 0.45; shrink += 0.04) {
		const area = inset(b, width(b) * shrink, height(b) * shrink);
		const columns = Math.min(
			count,
			Math.max(1, Math.round(Math.sqrt((count * width(area)) / height(area) / 2.5)))
		);
		const rows = Math.ceil(count / columns);
		const slotW = width(area) / columns;
		const slotH = height(area) / rows;
		const w = Math.min(slotW * 0.8, 64);
		const h = Math.min(slotH * 0.5, 14);
		const slabs = Array.from({ length: count }, (_, i) => {
			const x = area.x0 + ((i % columns) + 0.5) * slotW + rng.float(-0.25, 0.25) * (slotW - w);
			const y = area.y1 - (Math.floor(i / columns) + 0.5) * slotH + rng.float(-0.25, 0.25) * (slotH - h);
			return { x0: x - w / 2, x1: x + w / 2, y0: y - h / 2, y1: y + h / 2 };
		});
		if (slabs.every((slab) => containsRect(ring, slab))) return slabs;
	}
	throw new Error('buildings do not fit in their grid');
}
