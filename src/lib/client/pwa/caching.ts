/**
 * Which requests the service worker keeps in its runtime caches (src/service-worker.ts). Pure, so the
 * rules are tested without a worker. Everything else under /api/ always goes to the network.
 */

/** Runtime caches. The suffix changes only when a cache's layout does, never with an app release. */
export const runtimeCaches = {
	tiles: 'gridwalk-tiles-v1',
	photos: 'gridwalk-photos-v1',
	config: 'gridwalk-config-v1'
} as const;

/**
 * The deployment's public settings (`$env/dynamic/public`, e.g. the map's tiles), which the prerendered app
 * shell imports before the app starts: kept so the shell opens offline, refreshed whenever online.
 */
export const publicEnvPath = '/_app/env.js';

/** Caches of ours that an older worker made and this one no longer uses. */
export function isOutdatedRuntimeCache(name: string): boolean {
	return name.startsWith('gridwalk-') && !(Object.values(runtimeCaches) as string[]).includes(name);
}

/** `/{z}/{x}/{y}.png`, `@2x` and the usual raster formats: the address shape of slippy-map tile servers. */
const slippyTilePath = /\/\d{1,2}\/\d+\/\d+(@[23]x)?\.(png|jpe?g|webp)$/i;

/** What Workbox hands a route's match callback, as far as these rules read it. */
export interface RequestFacts {
	url: URL;
	request: { method: string; destination: string };
	sameOrigin: boolean;
}

/**
 * A map tile: an image (or a fetch by a map library) from any host whose path is a z/x/y tile, or whose
 * address matches the deployment's own pattern (PUBLIC_TILE_URL_PATTERN, a regular expression).
 */
export function isTileRequest(
	{ url, request, sameOrigin }: RequestFacts,
	extraPattern: RegExp | null
): boolean {
	if (request.method !== 'GET') return false;
	if (request.destination !== 'image' && request.destination !== '') return false;
	if (sameOrigin && url.pathname.startsWith('/api/')) return false;
	return slippyTilePath.test(url.pathname) || (extraPattern?.test(url.href) ?? false);
}

/** A photo by its content hash: the bytes behind an address never change, so the cache may answer first. */
const photoPath = /^\/api\/blobs\/[0-9a-f]{64}$/;

export function isPhotoRequest({ url, request, sameOrigin }: RequestFacts): boolean {
	return request.method === 'GET' && sameOrigin && photoPath.test(url.pathname);
}

/** The deployment's tile pattern, or null when it is unset or not a valid regular expression. */
export function tilePattern(source: string | undefined): RegExp | null {
	if (!source) return null;
	try {
		return new RegExp(source);
	} catch {
		return null;
	}
}
