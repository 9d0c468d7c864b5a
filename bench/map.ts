import { loadavg } from 'node:os';
import type { BrowserContext, Page } from '@playwright/test';
import { tilePng } from '../tests/e2e/tiles';
import { adminPassword, Site } from './gridwalk';
import { launchChromium } from './chromium';
import { progress, type Cleanup } from './support';

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
 * The demo district as the admin's device holds it (every grid and building), topped up to 20,000
 * observations written straight into the device database, then /map opened `runs` times and dragged.
 */
export async function benchMap(cleanup: Cleanup, runs: number): Promise<MapFigures> {
	progress('map: starting the built server (PGlite, demo district)');
	const site = await Site.open('pglite', cleanup, 'map');
	try {
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
		const counts = await topUp(page, observationTarget);
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

/** Adds observations at the district's buildings until the device holds `target`. */
export async function topUp(page: Page, target: number) {
	// A string, so that the bench's TypeScript transform adds no helpers the page does not have.
	return (await page.evaluate(`(async () => {
		const target = ${target};
		const db = await new Promise((resolve, reject) => {
			const open = indexedDB.open('gridwalk');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const all = (store) => new Promise((resolve, reject) => {
			const request = db.transaction(store).objectStore(store).getAll();
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const [buildings, grids, observations] = await Promise.all([all('building'), all('grid'), all('observation')]);
		const kinds = [['parking', 'parking.ebike_outside_bay'], ['sanitation', 'sanitation.overflowing_bin'],
			['safety', 'safety.light_broken'], ['facility', 'facility.elevator'], ['other', 'other.other']];
		const tx = db.transaction('observation', 'readwrite');
		const store = tx.objectStore('observation');
		let seed = 7;
		const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
		for (let i = observations.length; i < target; i++) {
			const b = buildings[i % buildings.length];
			const [category, subtype] = kinds[i % kinds.length];
			store.put({
				id: 'bench-map-' + String(i).padStart(6, '0'),
				category, subtype, severity: 'medium',
				location: { lat: b.point.lat + (random() - 0.5) * 0.0008, lng: b.point.lng + (random() - 0.5) * 0.0008, accuracy: 12 },
				compoundId: b.compoundId, buildingId: b.id, gridId: b.gridId, note: '', photos: [],
				observedAt: new Date(Date.now() - random() * 90 * 86400000).toISOString(),
				resolvedOnSpot: random() < 0.5, by: 'bench'
			});
		}
		await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
		db.close();
		return { grids: grids.length, buildings: buildings.length, observations: Math.max(target, observations.length) };
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
