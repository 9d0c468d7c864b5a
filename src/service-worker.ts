/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The service worker (DESIGN.md §1, issue 4): precache the app, answer navigations with the app shell so
// every page opens with no network, keep map tiles and photos, and otherwise stay out of the way. It never
// reads or writes the device's data: the page owns IndexedDB.
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import {
	isOutdatedRuntimeCache,
	isPhotoRequest,
	isTileRequest,
	publicEnvPath,
	runtimeCaches,
	tilePattern
} from '$lib/client/pwa/caching';
import { backgroundSyncTag, isSkipWaiting, syncRequest } from '$lib/client/pwa/messages';

declare const self: ServiceWorkerGlobalScope;
/** PUBLIC_TILE_URL_PATTERN at build time (vite.config.ts). */
declare const __TILE_URL_PATTERN__: string;

/** Background Sync is not in TypeScript's worker library yet. */
interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
	readonly lastChance: boolean;
}

// The build's client files and the prerendered /shell page, listed by injectManifest at build time.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every page is rendered in the browser (ssr = false), so the shell opens any address, never-visited
// ones too; the router then renders the page. /api/ is data. /login is opened by the shell too: offline,
// the app's own page says that logging in needs the network, never the browser's error page.
registerRoute(
	new NavigationRoute(createHandlerBoundToURL('/shell'), { denylist: [/^\/api\//, /^\/open311\//] })
);

// The deployment's public settings: the network when it answers soon, else the copy kept at install.
registerRoute(
	({ url, sameOrigin }) => sameOrigin && url.pathname === publicEnvPath,
	new NetworkFirst({ cacheName: runtimeCaches.config, networkTimeoutSeconds: 3 })
);
self.addEventListener('install', (event) => {
	// Without it the install still goes on: the settings are kept at the next online visit instead.
	event.waitUntil(
		caches
			.open(runtimeCaches.config)
			.then((cache) => cache.add(publicEnvPath))
			.catch(() => undefined)
	);
});

// Content-addressed: the bytes behind /api/blobs/<sha256> never change. Only full answers are kept.
registerRoute(
	isPhotoRequest,
	new CacheFirst({
		cacheName: runtimeCaches.photos,
		plugins: [
			new CacheableResponsePlugin({ statuses: [200] }),
			new ExpirationPlugin({ maxEntries: 500, maxAgeSeconds: 90 * 86_400, purgeOnQuotaError: true })
		]
	})
);

// Tiles may come from another host without CORS (status 0, opaque): kept all the same, so the map of the
// streets walked before still shows offline. Opaque answers count heavily against the quota, hence the cap.
const extraTilePattern = tilePattern(__TILE_URL_PATTERN__);
registerRoute(
	(facts) => isTileRequest(facts, extraTilePattern),
	new CacheFirst({
		cacheName: runtimeCaches.tiles,
		plugins: [
			new CacheableResponsePlugin({ statuses: [0, 200] }),
			new ExpirationPlugin({ maxEntries: 3000, maxAgeSeconds: 30 * 86_400, purgeOnQuotaError: true })
		]
	})
);

// A new version waits until the page asks (the person chose to reload, with no form half-filled).
self.addEventListener('message', (event) => {
	if (isSkipWaiting(event.data)) void self.skipWaiting();
});

// Take the pages of a first install at once, so the first visit already works offline afterwards.
clientsClaim();

self.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((names) => Promise.all(names.filter(isOutdatedRuntimeCache).map((n) => caches.delete(n))))
	);
});

// The page owns the data and runs the sync: the worker only wakes the open pages when the browser says
// the network is back. With no page open there is nothing to do; the app syncs when it starts.
self.addEventListener('sync', (event) => {
	const sync = event as SyncEvent;
	if (sync.tag === backgroundSyncTag) sync.waitUntil(askPagesToSync());
});

async function askPagesToSync(): Promise<void> {
	const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
	for (const page of pages) page.postMessage(syncRequest);
}
