import { describe, expect, it } from 'vitest';
import { distanceMeters } from '$lib/domain';
import { displayCrs, displayRing } from './crs';
import { tileConfig } from './tiles';

// Tiananmen's flag pole: WGS-84 from GPS, GCJ-02 as AMap's coordinate picker gives it.
const wgs = { lat: 39.908823, lng: 116.39747 };
const gcj = { lat: 39.910225, lng: 116.403714 };

describe('display coordinates', () => {
	it('leaves WGS-84 tiles alone', () => {
		const display = displayCrs('wgs84');
		expect(display.toDisplay(wgs)).toEqual(wgs);
		expect(display.fromDisplay(wgs)).toEqual(wgs);
	});

	it('puts a known WGS-84 point where GCJ-02 tiles draw it, and picks it back', () => {
		const display = displayCrs('gcj02');
		const shown = display.toDisplay(wgs);
		expect(distanceMeters(shown, gcj)).toBeLessThan(5);
		expect(distanceMeters(shown, wgs)).toBeGreaterThan(400);
		expect(distanceMeters(display.fromDisplay(shown), wgs)).toBeLessThan(0.5);
	});

	it('converts rings to Leaflet order', () => {
		const ring = displayRing([[wgs.lng, wgs.lat]], displayCrs('wgs84'));
		expect(ring).toEqual([[wgs.lat, wgs.lng]]);
	});
});

describe('tile configuration', () => {
	it('defaults to OpenStreetMap, WGS-84, no bulk download', () => {
		const config = tileConfig({});
		expect(config.url).toContain('openstreetmap');
		expect(config.attribution).toContain('OpenStreetMap');
		expect(config).toMatchObject({ crs: 'wgs84', maxZoom: 19, prefetch: false });
	});

	it('reads the deployment settings', () => {
		const config = tileConfig({
			PUBLIC_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png',
			PUBLIC_TILE_ATTRIBUTION: '© Example',
			PUBLIC_TILE_MAX_ZOOM: '18',
			PUBLIC_TILE_CRS: 'GCJ02',
			PUBLIC_TILE_PREFETCH: '1'
		});
		expect(config).toEqual({
			url: 'https://tiles.example.org/{z}/{x}/{y}.png',
			attribution: '© Example',
			maxZoom: 18,
			crs: 'gcj02',
			prefetch: true
		});
	});

	it('keeps defaults for values it cannot read', () => {
		expect(tileConfig({ PUBLIC_TILE_MAX_ZOOM: 'x', PUBLIC_TILE_CRS: 'bd09' })).toMatchObject({
			maxZoom: 19,
			crs: 'wgs84'
		});
	});
});
