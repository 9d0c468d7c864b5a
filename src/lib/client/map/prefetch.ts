import type { LatLng, Polygon } from '$lib/domain';
import type { DisplayCrs } from './crs';

/**
 * "Keep this grid available offline": the tiles covering a grid at the zooms a person walks at, fetched
 * through the service worker (which keeps every tile it passes). Offered only where the tile server's
 * policy allows bulk download (PUBLIC_TILE_PREFETCH=1).
 */

export const prefetchZooms = [15, 16, 17, 18] as const;
/** What a raster street tile weighs on average, for the estimate shown before anything is fetched. */
export const averageTileBytes = 18_000;
/** Tiles fetched at once: gentle on the tile server. */
const parallel = 4;

export interface TileAddress {
	z: number;
	x: number;
	y: number;
}

function tileOf({ lat, lng }: LatLng, z: number): { x: number; y: number } {
	const n = 2 ** z;
	const x = Math.floor(((lng + 180) / 360) * n);
	const rad = (lat * Math.PI) / 180;
	const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
	return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

/** Every tile of the boundary's bounding box at the given zooms, in the tiles' coordinate system. */
export function tilesCovering(
	boundary: Polygon,
	display: DisplayCrs,
	zooms: readonly number[] = prefetchZooms
): TileAddress[] {
	const points = boundary.coordinates[0].map(([lng, lat]) => display.toDisplay({ lat, lng }));
	const north = Math.max(...points.map((p) => p.lat));
	const south = Math.min(...points.map((p) => p.lat));
	const west = Math.min(...points.map((p) => p.lng));
	const east = Math.max(...points.map((p) => p.lng));
	const tiles: TileAddress[] = [];
	for (const z of zooms) {
		const from = tileOf({ lat: north, lng: west }, z);
		const to = tileOf({ lat: south, lng: east }, z);
		for (let x = from.x; x <= to.x; x++) for (let y = from.y; y <= to.y; y++) tiles.push({ z, x, y });
	}
	return tiles;
}

/** A tile's address from a Leaflet URL template (`{s}` takes the first of Leaflet's default subdomains). */
export function tileUrl(template: string, { z, x, y }: TileAddress): string {
	return template
		.replace('{s}', 'a')
		.replace('{z}', String(z))
		.replace('{x}', String(x))
		.replace('{y}', String(y))
		.replace('{r}', '');
}

/**
 * Fetches the tiles (the service worker keeps them), telling `progress(done, total)` as it goes. Stops at
 * `signal`'s abort; a tile that fails is counted as done and left for the next visit.
 */
export async function prefetchTiles(
	urls: readonly string[],
	progress: (done: number, total: number) => void,
	signal: AbortSignal
): Promise<{ done: number; failed: number }> {
	let next = 0;
	let done = 0;
	let failed = 0;
	const worker = async () => {
		while (next < urls.length && !signal.aborted) {
			const url = urls[next++];
			try {
				await fetch(url, { mode: 'no-cors', signal });
			} catch {
				if (signal.aborted) return;
				failed++;
			}
			progress(++done, urls.length);
		}
	};
	await Promise.all(Array.from({ length: parallel }, worker));
	return { done, failed };
}
