import { loadavg } from 'node:os';
import type { BrowserContext, Page } from '@playwright/test';
import { tilePng } from '../tests/e2e/tiles';
import {
	adminPassword,
	insertObservations,
	makeObservations,
	placesById,
	readDistrict,
	Site
} from './gridwalk';
import { launchChromium } from './chromium';
import { chunks, progress, type Cleanup } from './support';

/** How fast /map draws the whole district at laptop size, and how smoothly it pans (issue 6, item 4). */
export interface MapFigures {
	grids: number;
	buildings: number;
	observations: number;
	/**
	 * Each open: ms from navigation start to the map's `gridwalk:map-drawn` mark, set in the first task
	 * after the first frame painted with every layer drawn: the grids (filled with their colours), the
	 * compounds and buildings (made; shown from zoom 13 and 15) and the cases and observations clustered.
	 */
	firstRender: number[];
	/** Each open: the same from when the app had mounted (`gridwalk:interactive`) rather than navigation start. */
	afterMount: number[];
	/** Each open: when the device's records had been read, and when Leaflet had loaded (ms from navigation start). */
	data: number[];
	code: number[];
	/** Each open: the machine's 1-minute load average just before it (the machine is shared). */
	loads: number[];
	/** Frame times (ms) while dragging the map, at the district view and at building zoom. */
	pan: { view: string; frames: number[] }[];
}

const laptop = { width: 1366, height: 800 };
const observationTarget = 20_000;

/**
 * The demo district as the admin's device holds it (every grid and building), topped up on the server to
 * 20,000 observations that the device syncs, then /map opened `runs` times and dragged.
 */
export async function benchMap(cleanup: Cleanup, runs: number): Promise<MapFigures> {
	progress('map: starting the built server (PGlite, demo district)');
	const site = await Site.open('pglite', cleanup, 'map');
	try {
		const seeded = await seedObservations(site, observationTarget);
		progress(`map: ${seeded} observations added on the server; the device syncs them`);
		await site.start();
		const context = await launchChromium(cleanup, { viewport: laptop });
		const png = tilePng();
		// No tile server is reachable from here: every tile is one local image, as in the e2e tests.
		await context.route(/\/\d+\/\d+\/\d+\.png$/, (route) =>
			route.fulfill({ contentType: 'image/png', body: png })
		);
		const page = await context.newPage();
		const login = await page.request.post(`${site.url}/api/auth/login`, {
			data: { username: 'admin', password: adminPassword }
		});
		if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
		await page.goto(`${site.url}/map`);
		// The first sync brings the whole district (every grid and building) onto the device.
		await page.waitForFunction(
			() => /已同步|Synced/.test(document.querySelector('.status .what')?.textContent ?? ''),
			null,
			{
				timeout: 300_000
			}
		);
		await drawn(page);
		const counts = await deviceCounts(page);
		progress(
			`map: ${counts.grids} grids, ${counts.buildings} buildings, ${counts.observations} observations on the device`
		);
		const firstRender: number[] = [];
		const afterMount: number[] = [];
		const data: number[] = [];
		const code: number[] = [];
		const loads: number[] = [];
		for (let i = 0; i < runs; i++) {
			loads.push(loadavg()[0]);
			const marks = await openOnce(context, `${site.url}/map`);
			firstRender.push(marks.drawn);
			afterMount.push(marks.drawn - marks.mounted);
			data.push(marks.data);
			code.push(marks.code);
			progress(
				`map: open ${i + 1}: drawn at ${Math.round(marks.drawn)} ms (load average ${loads[i].toFixed(1)})`
			);
		}
		const last = await context.newPage();
		await last.goto(`${site.url}/map`);
		await drawn(last);
		const pan = [{ view: 'district', frames: await drag(last) }];
		await last.evaluate(() => {
			const zoomIn = document.querySelector<HTMLElement>('.leaflet-control-zoom-in')!;
			for (let i = 0; i < 3; i++) zoomIn.click();
		});
		await last.waitForTimeout(1200);
		pan.push({ view: `zoom ${await zoomOf(last)}`, frames: await drag(last) });
		return { ...counts, firstRender, afterMount, data, code, loads, pan };
	} finally {
		await site.dispose();
	}
}

export async function drawn(page: Page) {
	await page.waitForFunction(() => performance.getEntriesByName('gridwalk:map-drawn').length > 0, null, {
		timeout: 120_000
	});
}

async function zoomOf(page: Page): Promise<string> {
	const view = await page.locator('.leaflet-container').getAttribute('data-view');
	return view?.split(',')[2] ?? '?';
}

/**
 * Tops the demo district up on the server to `target` observations (spread over its buildings), so that
 * the device gets them the way it gets every record: by syncing, which writes their digests too.
 */
export async function seedObservations(site: Site, target: number): Promise<number> {
	return site.direct(async (db) => {
		const district = await readDistrict(db);
		const [{ n }] = await db.query<{ n: number }>(
			'SELECT count(*)::int AS n FROM observations WHERE deleted_at IS NULL'
		);
		const records = makeObservations(Math.max(0, target - n), district);
		const places = placesById(district);
		for (const batch of chunks(records, 1000))
			await db.transaction((sql) => insertObservations(sql, batch, places));
		return records.length;
	});
}

/** What the device holds after its sync: grids, buildings and observations. */
export async function deviceCounts(page: Page) {
	// A string, so that the bench's TypeScript transform adds no helpers the page does not have.
	return (await page.evaluate(`(async () => {
		const db = await new Promise((resolve, reject) => {
			const open = indexedDB.open('gridwalk');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const count = (store) => new Promise((resolve, reject) => {
			const request = db.transaction(store).objectStore(store).count();
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const [grids, buildings, observations] = await Promise.all([count('grid'), count('building'), count('observation')]);
		db.close();
		return { grids, buildings, observations };
	})()`)) as { grids: number; buildings: number; observations: number };
}

async function openOnce(
	context: BrowserContext,
	url: string
): Promise<{ drawn: number; mounted: number; data: number; code: number }> {
	const page = await context.newPage();
	try {
		await page.goto(url);
		await drawn(page);
		// A string, so that the bench's TypeScript transform adds no helpers the page does not have.
		return (await page.evaluate(`(() => {
			const at = (name) => performance.getEntriesByName('gridwalk:' + name)[0]?.startTime ?? NaN;
			return { drawn: at('map-drawn'), mounted: at('interactive'), data: at('map-data'), code: at('map-code') };
		})()`)) as { drawn: number; mounted: number; data: number; code: number };
	} finally {
		await page.close();
	}
}

/** Drags the map across and back in small steps, timing every frame the browser paints meanwhile. */
async function drag(page: Page): Promise<number[]> {
	const box = (await page.locator('.leaflet-container').boundingBox())!;
	const x = box.x + box.width / 2;
	const y = box.y + box.height / 2;
	await page.evaluate(`(() => {
		window.__frames = [];
		let last = performance.now();
		const tick = (now) => {
			window.__frames.push(now - last);
			last = now;
			if (window.__framesOn) requestAnimationFrame(tick);
		};
		window.__framesOn = true;
		requestAnimationFrame(tick);
	})()`);
	await page.mouse.move(x, y);
	await page.mouse.down();
	for (const [dx, dy] of [
		[300, 120],
		[-300, -120],
		[-250, 150],
		[250, -150]
	]) {
		const steps = 30;
		for (let s = 1; s <= steps; s++) await page.mouse.move(x + (dx * s) / steps, y + (dy * s) / steps);
		await page.mouse.move(x, y, { steps: 10 });
	}
	await page.mouse.up();
	await page.waitForTimeout(300);
	return (await page.evaluate(
		`(() => { window.__framesOn = false; return window.__frames.slice(1); })()`
	)) as number[];
}
