import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from '@playwright/test';
import { adminPassword, Site } from './gridwalk';
import { launchChromium } from './chromium';
import { progress, type Cleanup } from './support';

/** What a person waits for when they open a page on the phone, and what the app costs to carry. */
export interface PwaFigures {
	route: string;
	/** Each run: first contentful paint and the app's own "interactive" mark, ms after navigation start. */
	runs: { fcp: number; interactive: number }[];
	precache: { entries: number; bytes: number };
	/** JavaScript the route loads, gzipped, and whether any of it is the map's. */
	routeJs: { files: number; gzipBytes: number; rawBytes: number; mapCode: boolean };
}

const phone = { width: 360, height: 640 };

/**
 * Opens `route` at phone size with a warm service worker and no network, `runs` times, in Chromium, and
 * reads the paint timing and the app's `gridwalk:interactive` mark (set by the signed-in layout once the
 * page is mounted and its handlers attached). Also: the precache the worker holds, and the gzipped
 * JavaScript the route loads with an empty cache.
 */
export async function benchPwa(cleanup: Cleanup, route: string, runs: number): Promise<PwaFigures> {
	progress(`pwa: starting the built server (PGlite, demo district)`);
	const site = await Site.open('pglite', cleanup, 'pwa');
	try {
		const context = await launchChromium(cleanup, { viewport: phone, deviceScaleFactor: 2 });
		const page = await context.newPage();
		await signIn(page, site.url);
		await page.goto(`${site.url}${route}`);
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
		// Let the first sync finish, as it would before the person walks into the stairwell.
		await page.waitForFunction(() => !document.querySelector('.status')?.textContent?.includes('…'), null, {
			timeout: 300_000
		});
		await context.setOffline(true);
		const timings: PwaFigures['runs'] = [];
		for (let i = 0; i < runs; i++) timings.push(await openOffline(context, `${site.url}${route}`));
		await context.setOffline(false);
		const routeJs = await javascriptOf(cleanup, site.url, route);
		return { route, runs: timings, precache: precacheSize(), routeJs };
	} finally {
		await site.dispose();
	}
}

async function signIn(page: Page, url: string) {
	const response = await page.request.post(`${url}/api/auth/login`, {
		data: { username: 'volunteer', password: adminPassword }
	});
	if (!response.ok()) throw new Error(`login failed: ${response.status()}`);
}

async function openOffline(
	context: BrowserContext,
	url: string
): Promise<{ fcp: number; interactive: number }> {
	const page = await context.newPage();
	try {
		await page.goto(url);
		// A string, so that the bench's TypeScript transform adds no helpers the page does not have.
		return (await page.evaluate(`(async () => {
			const mark = () => performance.getEntriesByName('gridwalk:interactive')[0]?.startTime;
			const paint = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
			for (let waited = 0; (mark() === undefined || paint() === undefined) && waited < 30000; waited += 20) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			// Interactive: painted, and the handlers attached (the mark may come before the first paint).
			return { fcp: paint() ?? NaN, interactive: Math.max(paint() ?? NaN, mark() ?? NaN) };
		})()`)) as { fcp: number; interactive: number };
	} finally {
		await page.close();
	}
}

/** The files the worker precaches (its injected manifest), and their size on disk. */
function precacheSize(): PwaFigures['precache'] {
	const worker = readFileSync(path.resolve('build/client/service-worker.js'), 'utf8');
	const urls = [...worker.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
	let bytes = 0;
	for (const url of urls) {
		const file = [path.resolve('build/client', url), path.resolve('build/prerendered', url)].find(
			(candidate) => {
				try {
					return statSync(candidate).isFile();
				} catch {
					return false;
				}
			}
		);
		if (file) bytes += statSync(file).size;
	}
	return { entries: urls.length, bytes };
}

/** Every script a fresh browser (no worker, empty cache) loads to show `route`, gzipped as a server would send it. */
async function javascriptOf(cleanup: Cleanup, url: string, route: string): Promise<PwaFigures['routeJs']> {
	const context = await launchChromium(cleanup, { viewport: phone });
	await context.route('**/service-worker.js', (r) => r.abort());
	const page = await context.newPage();
	await signIn(page, url);
	const scripts = new Map<string, Buffer>();
	page.on('response', async (response) => {
		if (response.request().resourceType() === 'script') scripts.set(response.url(), await response.body());
	});
	await page.goto(`${url}${route}`, { waitUntil: 'networkidle' });
	await page.close();
	await context.close();
	const bodies = [...scripts.values()];
	const leaflet = new Set(
		readdirSync(path.resolve('node_modules')).filter((name) => /leaflet|supercluster/.test(name))
	);
	return {
		files: scripts.size,
		rawBytes: bodies.reduce((sum, body) => sum + body.length, 0),
		gzipBytes: bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0),
		// Strings only Leaflet's own code holds: a minified `l.map(` or a preload list naming leaflet.css is not it.
		mapCode:
			leaflet.size > 0 && bodies.some((body) => /_leaflet_id|leaflet-container/.test(body.toString('utf8')))
	};
}
