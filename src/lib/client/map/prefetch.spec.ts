import { describe, expect, it } from 'vitest';
import type { Polygon } from '$lib/domain';
import { displayCrs } from './crs';
import { tilesCovering, tileUrl } from './prefetch';

const square: Polygon = {
	type: 'Polygon' as const,
	coordinates: [
		[
			[116.98, 33.63],
			[116.984, 33.63],
			[116.984, 33.634],
			[116.98, 33.634],
			[116.98, 33.63]
		]
	]
};

describe('tiles of a grid', () => {
	it('covers the grid at zooms 15 to 18, more tiles the deeper', () => {
		const tiles = tilesCovering(square, displayCrs('wgs84'));
		const perZoom = [15, 16, 17, 18].map((z) => tiles.filter((t) => t.z === z).length);
		expect(perZoom[0]).toBeGreaterThanOrEqual(1);
		for (let i = 1; i < 4; i++) expect(perZoom[i]).toBeGreaterThanOrEqual(perZoom[i - 1]);
		expect(perZoom[3]).toBeGreaterThan(perZoom[0]);
		// 0.004° is about 370 m: at zoom 18 (about 0.5 m a pixel here) some 4 × 4 tiles.
		expect(perZoom[3]).toBeLessThan(40);
	});

	it('finds the tile a point lies in (the usual slippy-map numbering)', () => {
		const [tile] = tilesCovering(
			{
				type: 'Polygon',
				coordinates: [
					[
						[116.98, 33.63],
						[116.98, 33.63],
						[116.98, 33.63],
						[116.98, 33.63]
					]
				]
			},
			displayCrs('wgs84'),
			[15]
		);
		expect(tile).toEqual({ z: 15, x: 27031, y: 13130 });
	});

	it('fills a Leaflet URL template', () => {
		expect(tileUrl('https://{s}.tile.example/{z}/{x}/{y}{r}.png', { z: 15, x: 1, y: 2 })).toBe(
			'https://a.tile.example/15/1/2.png'
		);
	});
});
