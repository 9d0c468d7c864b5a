import type { BrowserContext, Page } from '@playwright/test';
import type { Actor } from '../src/lib/domain';
import type { FieldBenchPage, SavePlace, SaveTiming } from './browser/field-page';
import { buildBenchPage, launchChromium, openBenchPage } from './chromium';
import { Site } from './gridwalk';
import { progress, type Cleanup } from './support';

/** What a volunteer waits for in the field (issue 5): saving an observation, opening their records. */
export interface FieldFigures {
	save: SaveTiming;
	mine: {
		records: number;
		/** Each open: ms from navigation start until the first row is painted, and after the app mounted. */
		runs: { firstRow: number; afterMount: number }[];
	};
}

const phone = { width: 360, height: 640 };

/**
 * In Chromium at phone size against the built server (PGlite, demo district), signed in as `volunteer`:
 * - save: `existing` observations already on the device, then `saves` observations saved one after
 *   another through the device's real save path (record + outbox in one transaction);
 * - /mine: `mineRecords` of the volunteer's records on the device, then /mine opened `runs` times.
 */
export async function benchField(
	cleanup: Cleanup,
	{ existing = 50_000, saves = 200, mineRecords = 10_000, runs = 7 } = {}
): Promise<FieldFigures> {
	progress('field: starting the built server (PGlite, demo district)');
	const site = await Site.open('pglite', cleanup, 'field');
	const context = await launchChromium(cleanup, { viewport: phone, deviceScaleFactor: 2 });
	try {
		// The bench page first: once the app has run, its service worker answers every navigation.
		const script = await buildBenchPage(cleanup, 'field-page');
		const page = await openBenchPage(context, site, script, 'field-page', 'fieldBench', 'volunteer');
		const { actor, place } = await volunteerDevice(context, site);

		progress(`field: ${mineRecords.toLocaleString('en')} of the volunteer's records onto the device`);
		const records = await page.evaluate(
			([actor, place, count]) => window.fieldBench.putOwnRecords(actor, place, count),
			[actor, place, mineRecords] as Parameters<FieldBenchPage['putOwnRecords']>
		);
		const mine = [];
		for (let i = 0; i < runs; i++) mine.push(await openMine(context, site));

		progress(`field: ${existing.toLocaleString('en')} records on the device, then ${saves} saves`);
		const save = await page.evaluate(
			([actor, place, existing, saves]) => window.fieldBench.saveLatency(actor, place, existing, saves),
			[actor, place, existing, saves] as Parameters<FieldBenchPage['saveLatency']>
		);
		await page.close();
		return { save, mine: { records, runs: mine } };
	} finally {
		// The app's open sync requests would hold the server's shutdown.
		await context.close();
		await site.dispose();
	}
}

/** The volunteer signed in and synced on the device, and a building where they may record. */
async function volunteerDevice(context: BrowserContext, site: Site) {
	const page = await context.newPage();
	await page.goto(`${site.url}/mine`);
	await page.waitForFunction(
		() => /已同步|Synced/.test(document.querySelector('.status')?.textContent ?? ''),
		null,
		{
			timeout: 300_000
		}
	);
	const actor = (await (await page.request.get(`${site.url}/api/auth/me`)).json()) as Actor;
	const buildings = (await page.evaluate(`new Promise((resolve, reject) => {
		const open = indexedDB.open('gridwalk');
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const request = open.result.transaction('building').objectStore('building').getAll();
			request.onsuccess = () => { open.result.close(); resolve(request.result); };
		};
	})`)) as { id: string; compoundId: string; gridId: string; point: { lat: number; lng: number } }[];
	const building = buildings.find((b) => actor.scope.compoundIds.includes(b.compoundId));
	if (!building) throw new Error('the volunteer has no building in scope on the device');
	await page.close();
	const place: SavePlace = {
		compoundId: building.compoundId,
		buildingId: building.id,
		gridId: building.gridId,
		lat: building.point.lat,
		lng: building.point.lng
	};
	return { actor, place };
}

async function openMine(context: BrowserContext, site: Site): Promise<FieldFigures['mine']['runs'][number]> {
	const page: Page = await context.newPage();
	// When the first row is in the page, and then painted.
	await page.addInitScript(`new MutationObserver((_, observer) => {
		if (!document.querySelector('a.record')) return;
		observer.disconnect();
		requestAnimationFrame(() => setTimeout(() => (window.__firstRow = performance.now())));
	}).observe(document, { childList: true, subtree: true })`);
	try {
		await page.goto(`${site.url}/mine`);
		return (await page.evaluate(`(async () => {
			for (let waited = 0; !window.__firstRow && waited < 30000; waited += 20) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			const mounted = performance.getEntriesByName('gridwalk:interactive')[0]?.startTime ?? NaN;
			return { firstRow: window.__firstRow ?? NaN, afterMount: (window.__firstRow ?? NaN) - mounted };
		})()`)) as { firstRow: number; afterMount: number };
	} finally {
		await page.close();
	}
}
