import gcoord from 'gcoord';
import type { LatLng } from '$lib/domain';
import type { TileCrs } from './tiles';

/**
 * Between the data's WGS-84 and the tiles' coordinate system. GCJ-02 ("Mars coordinates", used by AMap/Gaode
 * and other Chinese providers) is offset from WGS-84 by a few hundred metres: everything drawn is converted
 * to it, and every point picked on the map is converted back before it is stored.
 */
export interface DisplayCrs {
	crs: TileCrs;
	toDisplay(point: LatLng): LatLng;
	fromDisplay(point: LatLng): LatLng;
}

const same = (point: LatLng): LatLng => ({ lat: point.lat, lng: point.lng });

function converted(from: typeof gcoord.WGS84 | typeof gcoord.GCJ02, to: typeof from) {
	return ({ lat, lng }: LatLng): LatLng => {
		const [x, y] = gcoord.transform([lng, lat], from, to) as [number, number];
		return { lat: y, lng: x };
	};
}

export function displayCrs(crs: TileCrs): DisplayCrs {
	if (crs === 'wgs84') return { crs, toDisplay: same, fromDisplay: same };
	return {
		crs,
		toDisplay: converted(gcoord.WGS84, gcoord.GCJ02),
		fromDisplay: converted(gcoord.GCJ02, gcoord.WGS84)
	};
}

/** A GeoJSON ring ([lng, lat] pairs) as Leaflet's [lat, lng] pairs, in the display's system. */
export function displayRing(ring: readonly (readonly number[])[], display: DisplayCrs): [number, number][] {
	return ring.map(([lng, lat]) => {
		const p = display.toDisplay({ lat, lng });
		return [p.lat, p.lng];
	});
}
