import { describe, expect, it } from 'vitest';
import { distanceMeters } from './geo';

describe('distanceMeters', () => {
	it('is zero from a point to itself and the same both ways', () => {
		const a = { lat: 33.63, lng: 116.98 };
		const b = { lat: 33.6312, lng: 116.9815 };
		expect(distanceMeters(a, a)).toBe(0);
		expect(distanceMeters(a, b)).toBeCloseTo(distanceMeters(b, a), 9);
	});

	it('measures a degree of latitude as about 111.2 km and shrinks longitude with the latitude', () => {
		expect(distanceMeters({ lat: 33, lng: 117 }, { lat: 34, lng: 117 })).toBeCloseTo(111_195, -1);
		// cos(33.63°) ≈ 0.8326: a degree of longitude near Suzhou (Anhui) is about 92.6 km.
		expect(distanceMeters({ lat: 33.63, lng: 116 }, { lat: 33.63, lng: 117 })).toBeCloseTo(92_590, -2);
	});

	it('gives metres at the scale of a compound', () => {
		// 0.0009° of latitude ≈ 100 m.
		expect(distanceMeters({ lat: 33.63, lng: 116.98 }, { lat: 33.6309, lng: 116.98 })).toBeCloseTo(100, 0);
	});
});
