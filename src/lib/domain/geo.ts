import { z } from 'zod';

/** WGS-84 longitude/latitude; GeoJSON order is [lng, lat]. */
export const lat = z.number().min(-90).max(90);
export const lng = z.number().min(-180).max(180);

export const latLng = z.object({ lat, lng });
export type LatLng = z.infer<typeof latLng>;

export const gpsFix = z.object({ lat, lng, accuracy: z.number().nonnegative().max(100_000) });
export type GpsFix = z.infer<typeof gpsFix>;

const position = z.tuple([lng, lat]);
const linearRing = z
	.array(position)
	// abort: an empty ring must fail here, not crash the closing check below
	.min(4, { abort: true })
	.refine((ring) => ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1], {
		message: 'ring must be closed'
	});

export const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(linearRing).min(1) });
export type Polygon = z.infer<typeof polygon>;

/** Mean Earth radius (IUGG), metres. */
const earthRadius = 6_371_008.8;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in metres (haversine): within a district the error is far below a GPS fix's. */
export function distanceMeters(a: LatLng, b: LatLng): number {
	const dLat = radians(b.lat - a.lat);
	const dLng = radians(b.lng - a.lng);
	const h =
		Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
	return 2 * earthRadius * Math.asin(Math.min(1, Math.sqrt(h)));
}
