import { describe, expect, it } from 'vitest';
import {
	isOutdatedRuntimeCache,
	isPhotoRequest,
	isTileRequest,
	runtimeCaches,
	tilePattern,
	type RequestFacts
} from './caching';

const origin = 'https://gridwalk.example';

function facts(address: string, destination = '', method = 'GET'): RequestFacts {
	const url = new URL(address, origin);
	return { url, request: { method, destination }, sameOrigin: url.origin === origin };
}

const sha = 'a'.repeat(64);

describe('map tiles', () => {
	it.each([
		'https://tile.openstreetmap.org/17/109384/53752.png',
		'https://a.basemaps.example.com/light_all/15/27345/13440@2x.png',
		'https://webrd01.is.autonavi.example/tiles/12/3421/1712.jpg',
		'https://tiles.example.org/v1/9/420/205.webp'
	])('an image from any host at a z/x/y address is a tile: %s', (address) => {
		expect(isTileRequest(facts(address, 'image'), null)).toBe(true);
	});

	it('a map library fetching a tile (no destination) is a tile too', () => {
		expect(isTileRequest(facts('https://tile.example.org/3/4/2.png', ''), null)).toBe(true);
	});

	it.each([
		['a script', 'https://tile.example.org/3/4/2.png', 'script'],
		['a page', 'https://tile.example.org/3/4/2.png', 'document'],
		['a photo of ours', `/api/blobs/${sha}`, 'image'],
		['an API path shaped like a tile', '/api/3/4/2.png', 'image'],
		['an icon', '/icons/icon-192.png', 'image'],
		['an image not laid out as a tile', 'https://example.org/photos/2026/05/cat.png', 'image']
	])('%s is not a tile', (_what, address, destination) => {
		expect(isTileRequest(facts(address, destination), null)).toBe(false);
	});

	it('a write is never cached', () => {
		expect(isTileRequest(facts('https://tile.example.org/3/4/2.png', 'image', 'POST'), null)).toBe(false);
	});

	it("the deployment's own pattern matches servers laid out otherwise", () => {
		const wms = 'https://gis.example.cn/wms?service=WMS&request=GetMap&bbox=1,2,3,4';
		expect(isTileRequest(facts(wms, 'image'), null)).toBe(false);
		expect(isTileRequest(facts(wms, 'image'), tilePattern('^https://gis\\.example\\.cn/wms\\?'))).toBe(true);
	});

	it('an unset or broken pattern is no pattern', () => {
		expect(tilePattern('')).toBeNull();
		expect(tilePattern(undefined)).toBeNull();
		expect(tilePattern('([unclosed')).toBeNull();
	});
});

describe('photos', () => {
	it('a GET of a photo by its hash on this site is cached', () => {
		expect(isPhotoRequest(facts(`/api/blobs/${sha}`))).toBe(true);
	});

	it.each([
		['an upload', facts(`/api/blobs/${sha}`, '', 'PUT')],
		['a presence check', facts(`/api/blobs/${sha}`, '', 'HEAD')],
		['a malformed hash', facts('/api/blobs/not-a-hash')],
		['an upper-case hash', facts(`/api/blobs/${sha.toUpperCase()}`)],
		['another site', facts(`https://elsewhere.example/api/blobs/${sha}`)],
		['sync', facts('/api/sync/pull', '', 'POST')],
		['who is signed in', facts('/api/auth/me')]
	])('%s is not', (_what, request) => {
		expect(isPhotoRequest(request)).toBe(false);
	});
});

describe('runtime caches', () => {
	it('only our caches that this worker no longer uses are outdated', () => {
		expect(isOutdatedRuntimeCache('gridwalk-tiles-v0')).toBe(true);
		expect(isOutdatedRuntimeCache(runtimeCaches.tiles)).toBe(false);
		expect(isOutdatedRuntimeCache(runtimeCaches.photos)).toBe(false);
		// Workbox's precache is cleaned by cleanupOutdatedCaches(), other sites' caches are not ours.
		expect(isOutdatedRuntimeCache('workbox-precache-v2-https://gridwalk.example/')).toBe(false);
	});
});
