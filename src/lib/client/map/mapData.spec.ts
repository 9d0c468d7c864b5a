import { describe, expect, it } from 'vitest';
import type { Actor, Building, CaseRecord, Compound, Grid, Observation, Polygon } from '$lib/domain';
import {
	caseGroup,
	filterRecords,
	gridColour,
	gridScales,
	mapContents,
	noFilters,
	searchPlaces,
	statusShares,
	type DeviceRecords
} from './mapData';

const now = Date.parse('2026-11-25T08:00:00Z');
const ring = (lat: number, lng: number): Polygon => ({
	type: 'Polygon',
	coordinates: [
		[
			[lng, lat],
			[lng + 0.001, lat],
			[lng + 0.001, lat + 0.001],
			[lng, lat]
		]
	]
});
const compound = (id: string, communityId: string): Compound => ({
	id,
	communityId,
	name: `${id}苑`,
	address: `${id}路 1 号`,
	households: 100,
	centroid: { lat: 33.63, lng: 116.98 }
});
const grid = (id: string, communityId: string, compoundIds: string[]): Grid => ({
	id,
	communityId,
	compoundIds,
	name: `${id}网格`,
	boundary: ring(33.63, 116.98),
	leaderUserId: null
});
const building = (id: string, compoundId: string, gridId: string): Building => ({
	id,
	compoundId,
	gridId,
	name: `${id}号楼`,
	units: 2,
	floors: 6,
	households: 24,
	point: { lat: 33.631, lng: 116.981 }
});
const observation = (
	id: string,
	buildingId: string,
	by: string,
	extra: Partial<Observation> = {}
): Observation => ({
	id,
	category: 'parking',
	subtype: 'parking.fire_lane_blocked',
	severity: 'high',
	location: { lat: 33.6312, lng: 116.9812, accuracy: 8 },
	compoundId: 'a',
	buildingId,
	gridId: 'g1',
	note: '',
	photos: [],
	observedAt: '2026-11-20T08:00:00Z',
	resolvedOnSpot: false,
	by,
	...extra
});
const caseOf = (id: string, sourceId: string, extra: Partial<CaseRecord> = {}): CaseRecord => ({
	id,
	source: { type: 'observation', id: sourceId },
	title: '消防通道被占用',
	category: 'parking',
	priority: 'high',
	compoundId: 'a',
	gridId: 'g1',
	status: 'assigned',
	dueAt: '2026-11-24T08:00:00Z',
	createdAt: '2026-11-20T08:00:00Z',
	updatedAt: '2026-11-20T08:00:00Z',
	...extra
});

const rows: DeviceRecords = {
	compounds: [compound('a', 'm1'), compound('b', 'm2')],
	grids: [grid('g1', 'm1', ['a']), grid('g2', 'm2', ['b'])],
	buildings: [building('1', 'a', 'g1'), building('2', 'b', 'g2')],
	observations: [observation('o1', '1', 'me'), observation('o2', '1', 'other', { resolvedOnSpot: true })],
	cases: [caseOf('c1', 'o1', { satisfaction: 5 }), caseOf('c2', 'o9', { status: 'closed', satisfaction: 2 })],
	feedback: [],
	visits: [],
	surveys: [
		{
			id: 's1',
			compoundId: 'a',
			scores: { cleanliness: 4, safety: 4, parking: 4, responsiveness: 4, overall: 4 }
		}
	]
};
const coordinator: Actor = {
	id: 'me',
	role: 'coordinator',
	scope: { all: false, communityIds: ['m1'], compoundIds: ['a'], gridIds: ['g1'] }
};

describe('what the map shows', () => {
	const { places, records } = mapContents(coordinator, rows, now);

	it('keeps the places of the person’s scope', () => {
		expect(places.grids.map((g) => g.grid.id)).toEqual(['g1']);
		expect(places.compounds.map((c) => c.id)).toEqual(['a']);
		expect(places.buildings.map((b) => b.id)).toEqual(['1']);
	});

	it('counts each grid’s open and overdue cases and its satisfaction', () => {
		expect(places.grids[0].figures).toEqual({ open: 1, overdue: 1, satisfaction: 2 / 3, answers: 3 });
	});

	it('puts a case at its observation, links it, and colours observations by their case', () => {
		const c1 = records.find((r) => r.id === 'c1')!;
		expect(c1).toMatchObject({
			kind: 'case',
			group: 'overdue',
			mine: true,
			href: '/cases/c1',
			buildingId: '1'
		});
		expect(c1.point).toEqual({ lat: 33.6312, lng: 116.9812 });
		expect(records.find((r) => r.id === 'o1')).toMatchObject({
			group: 'overdue',
			href: '/mine/observation/o1'
		});
		expect(records.find((r) => r.id === 'o2')).toMatchObject({ group: 'resolved', href: null });
		// A case whose source is not on the device sits at its compound.
		expect(records.find((r) => r.id === 'c2')!.point).toEqual(rows.compounds[0].centroid);
	});

	it('filters by kind, category, status, dates and "mine"', () => {
		const ids = (f: Partial<ReturnType<typeof noFilters>>) =>
			filterRecords(records, { ...noFilters(), ...f })
				.map((r) => r.id)
				.sort();
		expect(ids({})).toEqual(['c1', 'c2', 'o1', 'o2']);
		expect(ids({ kinds: ['observation'] })).toEqual(['o1', 'o2']);
		expect(ids({ categories: ['safety'] })).toEqual([]);
		expect(ids({ groups: ['closed'] })).toEqual(['c2']);
		expect(ids({ mine: true })).toEqual(['c1', 'o1']);
		expect(ids({ from: '2026-11-21' })).toEqual([]);
		expect(ids({ from: '2026-11-20', to: '2026-11-20' })).toEqual(['c1', 'c2', 'o1', 'o2']);
	});
});

describe('colours and search', () => {
	it('groups case statuses', () => {
		expect(caseGroup({ status: 'in_progress', dueAt: null }, now)).toBe('open');
		expect(caseGroup({ status: 'reported', dueAt: '2026-11-25T07:00:00Z' }, now)).toBe('overdue');
		expect(caseGroup({ status: 'duplicate' }, now)).toBe('dropped');
	});

	it('colours a grid by the step its value reaches', () => {
		const figures = { open: 4, overdue: 0, satisfaction: 0.5, answers: 2 };
		expect(gridColour(figures, 'open')).toBe(gridScales.open[2].colour);
		expect(gridColour(figures, 'overdue')).toBe(gridScales.overdue[0].colour);
		expect(gridColour(figures, 'satisfaction')).toBe(gridScales.satisfaction[0].colour);
	});

	it('finds compounds and buildings by name', () => {
		const { places } = mapContents(coordinator, rows, now);
		expect(searchPlaces(places, 'a苑').map((h) => h.kind)).toEqual(['compound', 'building']);
		expect(searchPlaces(places, '1号楼')).toHaveLength(1);
		expect(searchPlaces(places, ' ')).toEqual([]);
	});
});

describe("a cluster's ring", () => {
	it('has an arc per status present, most pressing first, as long as its share of the records', () => {
		const shares = statusShares({ overdue: 1, open: 3, resolved: 0, closed: 4, dropped: 0 });
		expect(shares).toEqual([
			{ group: 'overdue', count: 1, from: 0, to: 12.5 },
			{ group: 'open', count: 3, from: 12.5, to: 50 },
			{ group: 'closed', count: 4, from: 50, to: 100 }
		]);
		expect(statusShares({ overdue: 0, open: 0, resolved: 0, closed: 0, dropped: 0 })).toEqual([]);
	});
});
