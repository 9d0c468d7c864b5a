import { describe, expect, it } from 'vitest';
import type { Building, Compound } from '$lib/domain';
import { snapToBuilding } from './snap';

const compound: Compound = {
	id: 'c1',
	communityId: 'm1',
	name: '华夏名苑',
	address: '',
	households: 100,
	centroid: { lat: 33.63, lng: 116.98 }
};
const building = (id: string, lat: number, lng: number): Building => ({
	id,
	compoundId: 'c1',
	gridId: 'g1',
	name: id,
	units: 2,
	floors: 6,
	households: 24,
	point: { lat, lng }
});
const places = [building('near', 33.63, 116.98), building('far', 33.632, 116.98)].map((b) => ({
	building: b,
	compound,
	grid: null
}));

describe('snapping a pin to a building', () => {
	it('takes the nearest building within its reach', () => {
		expect(snapToBuilding({ lat: 33.6302, lng: 116.9801 }, places)?.building.id).toBe('near');
		expect(snapToBuilding({ lat: 33.6319, lng: 116.98 }, places)?.building.id).toBe('far');
	});

	it('leaves a pin far from every building alone', () => {
		expect(snapToBuilding({ lat: 33.631, lng: 116.98 }, places)).toBeNull();
	});
});
