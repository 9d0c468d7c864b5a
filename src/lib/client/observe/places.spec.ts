import { describe, expect, it } from 'vitest';
import type { Actor, Building, Compound, Grid } from '$lib/domain';
import {
	buildingRadius,
	matchesQuery,
	observedLocation,
	placesInScope,
	rankPlaces,
	suggestedPlace,
	type PlaceChoice
} from './places';

const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const communityA = uuid(1);
const communityB = uuid(2);

const compound = (n: number, name: string, address: string, communityId = communityA): Compound => ({
	id: uuid(100 + n),
	communityId,
	name,
	address,
	households: 300,
	centroid: { lat: 33.63, lng: 116.98 }
});
const happy = compound(1, '幸福小区', '淮河路 88 号');
const garden = compound(2, '花园小区', '长江路 6 号');
const faraway = compound(3, '远方小区', '黄河路 5 号', communityB);
const grid: Grid = {
	id: uuid(200),
	communityId: communityA,
	compoundIds: [happy.id, garden.id],
	name: '第1网格',
	boundary: {
		type: 'Polygon',
		coordinates: [
			[
				[116.97, 33.62],
				[116.99, 33.62],
				[116.99, 33.64],
				[116.97, 33.62]
			]
		]
	},
	leaderUserId: null
};

let next = 300;
const building = (of: Compound, name: string, lat: number, lng: number): Building => ({
	id: uuid(next++),
	compoundId: of.id,
	gridId: grid.id,
	name,
	units: 2,
	floors: 6,
	households: 24,
	point: { lat, lng }
});
// 0.0009° of latitude ≈ 100 m.
const b10 = building(happy, '10号楼', 33.63, 116.98);
const b2 = building(happy, '2号楼', 33.6309, 116.98);
const g1 = building(garden, '1号楼', 33.6318, 116.98);
const f1 = building(faraway, '1号楼', 33.7, 116.9);

const volunteer: Actor = {
	id: uuid(900),
	role: 'volunteer',
	scope: { all: false, communityIds: [communityA], compoundIds: [happy.id, garden.id], gridIds: [] }
};
const reference = { buildings: [b10, b2, g1, f1], compounds: [happy, garden, faraway], grids: [grid] };

describe('placesInScope', () => {
	it('keeps the buildings where the person may record, each with its compound and grid', () => {
		const places = placesInScope(volunteer, reference);

		expect(places.map((p) => p.building.id)).toEqual([b10.id, b2.id, g1.id]);
		expect(places[0]).toEqual({ building: b10, compound: happy, grid });
	});

	it('gives an admin every building whose compound is on the device', () => {
		const admin: Actor = { ...volunteer, role: 'admin', scope: { ...volunteer.scope, all: true } };
		const orphan = building(compound(9, '未同步小区', ''), '9号楼', 33.63, 116.98);

		const places = placesInScope(admin, { ...reference, buildings: [...reference.buildings, orphan] });

		expect(places.map((p) => p.building.id)).toEqual([b10.id, b2.id, g1.id, f1.id]);
	});

	it('for home visits, gives a volunteer nothing and a grid leader the buildings of their grids', () => {
		expect(placesInScope(volunteer, reference, 'recordVisit')).toEqual([]);
		const leader: Actor = {
			...volunteer,
			role: 'grid_leader',
			scope: { ...volunteer.scope, gridIds: [b10.gridId] }
		};
		const places = placesInScope(leader, reference, 'recordVisit');
		expect(places.length).toBeGreaterThan(0);
		expect(places.every((p) => p.building.gridId === b10.gridId)).toBe(true);
		const elsewhere = { ...leader, scope: { ...leader.scope, gridIds: [uuid(777)] } };
		expect(placesInScope(elsewhere, reference, 'recordVisit')).toEqual([]);
	});
});

describe('rankPlaces', () => {
	const places = placesInScope(volunteer, reference);

	it('sorts by distance when the position is known', () => {
		const ranked = rankPlaces(places, { position: { lat: 33.632, lng: 116.98 }, locale: 'zh-CN' });

		expect(ranked.map((p) => p.building.name)).toEqual(['1号楼', '2号楼', '10号楼']);
		expect(ranked[0].distance).toBeCloseTo(22, 0);
	});

	it('sorts by compound then building name, numbers in order, when it is not', () => {
		const ranked = rankPlaces(places, { position: null, locale: 'zh-CN' });

		expect(ranked.map((p) => `${p.compound.name}${p.building.name}`)).toEqual([
			'花园小区1号楼',
			'幸福小区2号楼',
			'幸福小区10号楼'
		]);
		expect(ranked.every((p) => p.distance === null)).toBe(true);
	});

	it('keeps what matches the search: building, compound, both run together, address', () => {
		const names = (query: string) =>
			rankPlaces(places, { position: null, query, locale: 'zh-CN' }).map(
				(p) => `${p.compound.name}${p.building.name}`
			);

		expect(names('幸福')).toEqual(['幸福小区2号楼', '幸福小区10号楼']);
		expect(names('1')).toEqual(['花园小区1号楼', '幸福小区10号楼']);
		expect(names(' 幸福小区 2号楼 ')).toEqual(['幸福小区2号楼']);
		expect(names('长江路')).toEqual(['花园小区1号楼']);
		expect(names('没有')).toEqual([]);
		expect(matchesQuery(places[0], '')).toBe(true);
	});
});

describe('suggestedPlace', () => {
	const places = placesInScope(volunteer, reference);
	const at = (lat: number, accuracy: number) => ({
		fix: { lat, lng: 116.98, accuracy },
		ranked: rankPlaces(places, { position: { lat, lng: 116.98 }, locale: 'zh-CN' })
	});

	it('is the nearest building when the fix is good (≤ 50 m) and the person stands by it', () => {
		const { fix, ranked } = at(33.6301, 12);
		expect(suggestedPlace(ranked, fix)?.building.id).toBe(b10.id);
		const edge = at(33.6301, 50);
		expect(suggestedPlace(edge.ranked, edge.fix)?.building.id).toBe(b10.id);
	});

	it('is nothing when the fix is weak, missing, or far from every building', () => {
		const weak = at(33.6301, 51);
		expect(suggestedPlace(weak.ranked, weak.fix)).toBeNull();
		expect(suggestedPlace(rankPlaces(places, { position: null, locale: 'en' }), null)).toBeNull();
		const far = at(33.64, 5);
		expect(suggestedPlace(far.ranked, far.fix)).toBeNull();
		expect(suggestedPlace([], { lat: 33.63, lng: 116.98, accuracy: 5 })).toBeNull();
	});
});

describe('observedLocation', () => {
	it('is the person’s fix when it is good and by the building', () => {
		expect(observedLocation({ lat: 33.6301, lng: 116.9801, accuracy: 12.4 }, b10)).toEqual({
			lat: 33.6301,
			lng: 116.9801,
			accuracy: 12
		});
	});

	it('is the building’s point, as accurate as the building is large, otherwise', () => {
		const fallback = { lat: 33.63, lng: 116.98, accuracy: 30 };
		expect(observedLocation(null, b10)).toEqual(fallback);
		expect(observedLocation({ lat: 33.6301, lng: 116.98, accuracy: 80 }, b10)).toEqual(fallback);
		expect(observedLocation({ lat: 33.64, lng: 116.98, accuracy: 5 }, b10)).toEqual(fallback);
	});

	it('measures a building’s reach from its footprint', () => {
		const withFootprint: PlaceChoice['building'] = {
			...b10,
			footprint: {
				type: 'Polygon',
				coordinates: [
					[
						[116.9799, 33.6299],
						[116.9801, 33.6299],
						[116.9801, 33.6301],
						[116.9799, 33.6301],
						[116.9799, 33.6299]
					]
				]
			}
		};
		// Half the diagonal of a ~18.5 m × 22 m footprint.
		expect(buildingRadius(withFootprint)).toBe(15);
		expect(buildingRadius(b10)).toBe(30);
	});
});
