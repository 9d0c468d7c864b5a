import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import gcoord from 'gcoord';
import {
	buildingPicked,
	buildingsInScope,
	deviceRows,
	putRows,
	signedInAndSynced,
	standBy,
	type DeviceBuilding
} from './device';
import { expect, screenshots, test } from './fixtures';
import { serveTiles, tileAddress } from './tiles';

interface DeviceCase {
	id: string;
	status: string;
	source: { type: string; id: string };
}
interface DeviceObservation {
	id: string;
	buildingId?: string | null;
}
interface DeviceCompound {
	id: string;
	name: string;
}

const shownCount = (page: Page) => page.locator('.filters .count');

/** The map has drawn the device's data once (the page sets this mark for the bench too). */
async function mapDrawn(page: Page) {
	await page.waitForFunction(() => performance.getEntriesByName('gridwalk:map-drawn').length > 0, null, {
		timeout: 30_000
	});
}

/** Coloured pixels on the map's canvas (the vector layers), counted on a coarse grid. */
async function drawnPixels(page: Page): Promise<number> {
	return page.evaluate(() => {
		const canvas = document.querySelector<HTMLCanvasElement>('.leaflet-overlay-pane canvas');
		if (!canvas) return 0;
		const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
		let drawn = 0;
		for (let i = 3; i < pixels.length; i += 4 * 97) if (pixels[i] > 0) drawn++;
		return drawn;
	});
}

/** Where the place found by the search is drawn (tiles' coordinates), and the canvas's colour there as `r,g,b`. */
async function shownPlace(page: Page): Promise<{ at: number[]; colour: string }> {
	const map = page.locator('.leaflet-container');
	await expect(map).toHaveAttribute('data-shown-at', /\d+,\d+/);
	// The popup's panning has ended.
	await page.waitForTimeout(400);
	const at = (await map.getAttribute('data-shown'))!.split(',').map(Number);
	const colour = await page.evaluate(() => {
		const container = document.querySelector<HTMLElement>('.leaflet-container')!;
		const [px, py] = container.dataset.shownAt!.split(',').map(Number);
		const canvas = document.querySelector<HTMLCanvasElement>('.leaflet-overlay-pane canvas')!;
		const box = canvas.getBoundingClientRect();
		const outer = container.getBoundingClientRect();
		const scale = canvas.width / box.width;
		const x = Math.round((outer.left + px - box.left) * scale);
		const y = Math.round((outer.top + py - box.top) * scale);
		const [r, g, b] = canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
		return `${r},${g},${b}`;
	});
	return { at, colour };
}

/** A building with a case reported there (from an observation), and that case: the drill-down target. */
async function buildingWithCase(page: Page) {
	const [cases, observations, buildings, compounds] = await Promise.all([
		deviceRows<DeviceCase>(page, 'case'),
		deviceRows<DeviceObservation>(page, 'observation'),
		deviceRows<DeviceBuilding>(page, 'building'),
		deviceRows<DeviceCompound>(page, 'compound')
	]);
	const byId = new Map(observations.map((o) => [o.id, o]));
	const found = cases
		.filter((c) => c.source.type === 'observation' && byId.get(c.source.id)?.buildingId)
		.sort((a, b) => a.id.localeCompare(b.id))[0];
	expect(found, 'a case from an observation at a building').toBeTruthy();
	const building = buildings.find((b) => b.id === byId.get(found.source.id)!.buildingId)!;
	const compound = compounds.find((c) => c.id === building.compoundId)!;
	return { case: found, building, compound };
}

async function searchFor(page: Page, text: string) {
	const search = page.getByRole('searchbox');
	await search.fill(text);
	await expect(page.locator('.hits button').first()).toBeVisible();
	await search.press('Enter');
}

test.describe('the map', { tag: '@laptop' }, () => {
	test.use({ locale: 'zh-CN' });

	test('a coordinator sees the layers and the legend, filters narrow the markers, a building lists its cases', async ({
		page,
		context
	}) => {
		const tiles = await serveTiles(context);
		const me = await signedInAndSynced(page, 'coordinator');
		const target = await buildingWithCase(page);
		// An observation of the coordinator's own, to find with "only mine" and open from its popup.
		const mineId = '01900000-0000-7000-8000-00000000e2e1';
		await putRows(page, 'observation', [
			{
				id: mineId,
				category: 'sanitation',
				subtype: 'sanitation.overflowing_bin',
				severity: 'medium',
				location: { ...target.building.point, accuracy: 10 },
				compoundId: target.building.compoundId,
				buildingId: target.building.id,
				gridId: target.building.gridId,
				note: '',
				photos: [],
				// A day of its own, long before the demo district's history, for the date filter.
				observedAt: '2020-01-15T04:00:00.000Z',
				resolvedOnSpot: true,
				by: me.id
			}
		]);

		await page.goto('/');
		await page.getByRole('link', { name: /地图/ }).click();
		await expect(page).toHaveURL(/\/map$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('地图');
		await mapDrawn(page);

		// Layers: tiles, vector shapes on the canvas, clustered markers; the legend says what the colours mean.
		await expect(page.locator('.leaflet-tile-loaded').first()).toBeAttached();
		expect(tiles.length).toBeGreaterThan(0);
		expect(await drawnPixels(page)).toBeGreaterThan(100);
		await expect(page.locator('.map-cluster, .map-record').first()).toBeVisible();
		const legend = page.getByRole('region', { name: '图例' });
		await expect(legend).toContainText('网格：未办结');
		await expect(legend).toContainText('已超期');
		await page.getByRole('radio', { name: '满意度' }).check();
		await expect(legend).toContainText('网格：满意度');
		await expect(legend).toContainText('暂无评价');

		// Filters: a category narrows the records; "only mine" and a date range leave the one observation.
		const all = await shownCount(page).textContent();
		const total = Number(all!.match(/\/ ([\d,]+)/)![1].replace(/,/g, ''));
		expect(total).toBeGreaterThan(10);
		await page.getByRole('checkbox', { name: '停车' }).check();
		await expect(shownCount(page)).not.toHaveText(all!);
		const parking = Number(
			(await shownCount(page).textContent())!.match(/显示 ([\d,]+)/)![1].replace(/,/g, '')
		);
		expect(parking).toBeGreaterThan(0);
		expect(parking).toBeLessThan(total);
		await page.getByRole('button', { name: '清除筛选' }).click();
		await expect(shownCount(page)).toHaveText(all!);
		await page.getByRole('switch', { name: '只看我的' }).check();
		const mine = Number((await shownCount(page).textContent())!.match(/显示 ([\d,]+)/)![1].replace(/,/g, ''));
		expect(mine).toBeLessThan(total);
		await page.locator('input[name=from]').fill('2020-01-15');
		await page.locator('input[name=to]').fill('2020-01-15');
		await expect(shownCount(page)).toContainText('显示 1 /');
		await expect(page.locator('.map-cluster')).toHaveCount(0);
		await expect(page.locator('.map-record')).toHaveCount(1);

		// The building found by the search lists its case, linked to the case's page.
		await searchFor(page, target.compound.name + target.building.name);
		const popup = page.locator('.leaflet-popup-content');
		await expect(popup).toContainText(target.building.name);
		await expect(popup.locator(`a[href="/cases/${target.case.id}"]`)).toBeVisible();
		await expect(popup.locator(`a[href="/mine/observation/${mineId}"]`)).toBeVisible();

		// My observation's own marker opens my record's page.
		await page.keyboard.press('Escape');
		await page.locator('.map-record').click();
		await page.locator(`.leaflet-popup-content a[href="/mine/observation/${mineId}"]`).click();
		await expect(page).toHaveURL(new RegExp(`/mine/observation/${mineId}$`));
	});

	test.describe(() => {
		// Tiles that cannot load are failed requests, which Chromium logs as errors.
		test.use({ expectedConsoleErrors: /net::ERR_|Failed to load resource/ });

		test('with no tile at all, the vector layers still draw on a plain background', async ({
			page,
			context
		}) => {
			await context.route(tileAddress, (route) => route.abort('internetdisconnected'));
			await signedInAndSynced(page, 'leader');
			await page.goto('/map');
			await mapDrawn(page);
			await expect(page.getByText('底图无法加载，仅显示设备上的数据。')).toBeVisible();
			expect(await drawnPixels(page)).toBeGreaterThan(100);
		});

		test('offline the map opens from the data on the device, with the tiles seen before', async ({
			page,
			context
		}) => {
			await page.goto('/login');
			// Routed after the page exists: a page made with routes in place bypasses the service worker.
			const tiles = await serveTiles(context);
			await signedInAndSynced(page, 'leader');
			await page.goto('/map');
			await page.evaluate(async () => {
				await navigator.serviceWorker.ready;
				if (navigator.serviceWorker.controller) return;
				await new Promise((resolve) =>
					navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
				);
			});
			await page.reload();
			await mapDrawn(page);
			await expect(page.locator('.leaflet-tile-loaded').first()).toBeAttached();
			const seen = tiles.length;

			await context.setOffline(true);
			const reloaded = await page.reload();
			expect(reloaded?.fromServiceWorker()).toBe(true);
			await mapDrawn(page);
			await expect(page.locator('.leaflet-tile-loaded').first()).toBeAttached();
			expect(await drawnPixels(page)).toBeGreaterThan(100);
			await expect(page.locator('.map-cluster, .map-record').first()).toBeVisible();
			expect(tiles.length, 'offline the tiles came from the cache').toBe(seen);
		});
	});
});

/**
 * Another server of the same build whose tiles are GCJ-02 and may be bulk-downloaded (PUBLIC_TILE_CRS=gcj02,
 * PUBLIC_TILE_PREFETCH=1), on its own database.
 */
class Gcj02Server {
	#process: ChildProcess | null = null;
	readonly port = Number(process.env.E2E_PORT ?? 4173) + 10;
	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	async start() {
		this.#process = spawn('node', ['scripts/e2e-server.js', 'pglite', String(this.port)], {
			env: { ...process.env, PUBLIC_TILE_CRS: 'gcj02', PUBLIC_TILE_PREFETCH: '1' },
			stdio: 'ignore'
		});
		for (let waited = 0; waited < 120_000; waited += 500) {
			const ok = await fetch(`${this.url}/api/health`).then(
				(r) => r.ok,
				() => false
			);
			if (ok) return;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error('the GCJ-02 server did not start');
	}

	async stop() {
		const child = this.#process;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
	}
}

test.describe('GCJ-02 tiles', { tag: '@laptop' }, () => {
	test.use({ locale: 'zh-CN' });
	const gcj = new Gcj02Server();
	test.beforeAll(async () => {
		test.setTimeout(150_000);
		await gcj.start();
	});
	test.afterAll(() => gcj.stop());

	test('the same building is drawn at its GCJ-02 position on GCJ-02 tiles, at its WGS-84 one otherwise', async ({
		browser
	}) => {
		test.setTimeout(120_000);
		const views: Record<string, { at: number[]; colour: string }> = {};
		let building: DeviceBuilding | null = null;
		for (const [mode, baseURL] of [
			['wgs84', test.info().project.use.baseURL!],
			['gcj02', gcj.url]
		] as const) {
			const context = await browser.newContext({
				baseURL,
				locale: 'zh-CN',
				viewport: { width: 1366, height: 800 }
			});
			await serveTiles(context);
			const page = await context.newPage();
			await signedInAndSynced(page, 'leader');
			await page.goto('/map');
			await mapDrawn(page);
			// The same demo district (same seed): the same building on both servers.
			const target = await buildingWithCase(page);
			building ??= target.building;
			expect(target.building.id).toBe(building.id);
			await searchFor(page, target.compound.name + target.building.name);
			await expect(page.locator('.leaflet-popup-content')).toContainText(target.building.name);
			views[mode] = await shownPlace(page);
			await context.close();
		}
		const { lat, lng } = building!.point;
		const [gcjLng, gcjLat] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
		// WGS-84 tiles: the building's own coordinates; GCJ-02 tiles: the converted ones, some 500 m away.
		expect(views.wgs84.at[0]).toBeCloseTo(lat, 5);
		expect(views.wgs84.at[1]).toBeCloseTo(lng, 5);
		expect(views.gcj02.at[0]).toBeCloseTo(gcjLat, 5);
		expect(views.gcj02.at[1]).toBeCloseTo(gcjLng, 5);
		// And there, in both, the canvas shows the building's fill: the shape moved with the point.
		expect(views.wgs84.colour).toBe(views.gcj02.colour);
		expect(views.wgs84.colour).not.toBe('0,0,0');
	});
	test('"keep this grid available offline" estimates the size, shows its progress and fetches every tile of the grid', async ({
		browser
	}) => {
		const context = await browser.newContext({
			baseURL: gcj.url,
			locale: 'zh-CN',
			viewport: { width: 1366, height: 800 }
		});
		const page = await context.newPage();
		// Routed after the page exists: a page made with routes in place bypasses the service worker.
		const tiles = await serveTiles(context);
		await signedInAndSynced(page, 'leader');
		await page.goto('/map');
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
			if (navigator.serviceWorker.controller) return;
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
		});
		await mapDrawn(page);
		const offline = page.getByRole('region', { name: '离线保存网格底图' });
		await offline.getByRole('combobox').selectOption({ index: 1 });
		const estimate = await offline.getByText(/共 [\d,]+ 张底图，约/).textContent();
		const total = Number(estimate!.match(/共 ([\d,]+) 张/)![1].replace(/,/g, ''));
		expect(total).toBeGreaterThan(4);
		const before = tiles.length;
		await offline.getByRole('button', { name: '保存到此设备' }).click();
		await expect(offline.getByRole('status')).toHaveText(/已保存/, { timeout: 30_000 });
		// Every tile of the grid was asked for (the service worker keeping what passes it is pwa.spec.ts's test).
		const asked = new Set(tiles.slice(before));
		expect(asked.size).toBeGreaterThanOrEqual(total - 10);
		await context.close();
	});
});

test.describe('choosing the place on a map', { tag: '@laptop' }, () => {
	test.use({ locale: 'zh-CN' });

	test('the pin starts at the GPS building, and dropped by another building chooses it', async ({
		page,
		context
	}) => {
		await serveTiles(context);
		const me = await signedInAndSynced(page, 'volunteer');
		const buildings = await buildingsInScope(page, me);
		// Web Mercator pixels at zoom 18, where the picker opens: the neighbour must be on the small map, clear
		// of its edges (where the dragged pin pans the map).
		const pixel = ({ lat, lng }: { lat: number; lng: number }) => {
			const size = 256 * 2 ** 18;
			const sin = Math.sin((lat * Math.PI) / 180);
			return {
				x: ((lng + 180) / 360) * size,
				y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size
			};
		};
		const pairs = buildings.flatMap((here) =>
			buildings
				.filter((b) => b.id !== here.id)
				.map((b) => ({
					here,
					b,
					dx: pixel(b.point).x - pixel(here.point).x,
					dy: pixel(b.point).y - pixel(here.point).y
				}))
		);
		const pair = pairs.find(
			({ dx, dy }) => Math.abs(dx) < 200 && Math.abs(dy) < 60 && Math.hypot(dx, dy) > 50
		);
		expect(pair, 'two neighbouring buildings on the small map').toBeTruthy();
		const { here, ...neighbour } = pair!;
		await standBy(context, here);
		await page.goto('/observe');
		await page.getByRole('button', { name: '停车' }).click();
		await page.getByRole('button', { name: '消防通道被占用' }).click();
		await buildingPicked(page, here);

		await page.getByRole('button', { name: '在地图上选' }).click();
		const map = page.getByRole('region', { name: '选择位置的地图' });
		await expect(map.locator('.leaflet-tile-loaded').first()).toBeAttached();
		await expect(map.locator('path.leaflet-interactive, canvas').first()).toBeAttached();
		const pin = map.locator('.picker-pin');
		// In the middle of the screen, clear of the save bar fixed at the bottom.
		await map.evaluate((element) => element.scrollIntoView({ block: 'center', behavior: 'instant' }));
		await page.waitForTimeout(300);
		const box = (await pin.boundingBox())!;
		const from = { x: box.x + 22, y: box.y + 40 };
		await page.mouse.move(from.x, from.y);
		await page.mouse.down();
		await page.mouse.move(from.x + neighbour.dx / 2, from.y + neighbour.dy / 2, { steps: 5 });
		await page.mouse.move(from.x + neighbour.dx, from.y + neighbour.dy, { steps: 5 });
		await page.mouse.up();
		await expect(page.locator(`input[name=building][value="${neighbour.b.id}"]`)).toBeChecked();
	});
});

test.describe('screenshots', () => {
	test.setTimeout(240_000);
	const sizes = [
		{
			name: 'phone',
			viewport: { width: 360, height: 640 },
			deviceScaleFactor: 2,
			isMobile: true,
			hasTouch: true
		},
		{
			name: 'laptop',
			viewport: { width: 1366, height: 800 },
			deviceScaleFactor: 1,
			isMobile: false,
			hasTouch: false
		}
	];

	test(
		'the map at 360×640 and 1366×800, in Chinese and English (test-results/map/)',
		screenshots,
		async ({ browser }) => {
			for (const size of sizes) {
				for (const locale of ['zh-CN', 'en-GB']) {
					const { name, ...options } = size;
					const context = await browser.newContext({ ...options, locale });
					await serveTiles(context);
					const page = await context.newPage();
					const errors: string[] = [];
					page.on('pageerror', (error) => errors.push(error.message));
					page.on('console', (m) => {
						if (m.type() === 'error') errors.push(m.text());
					});
					await signedInAndSynced(page, 'coordinator');
					await page.goto('/map');
					await mapDrawn(page);
					await page.waitForTimeout(500);
					await page.screenshot({ path: `test-results/map/${name}-${locale}-1-district.png` });
					if (name === 'phone') {
						await page.locator('.panel-toggle').click();
						await page.waitForTimeout(400);
						await page.screenshot({ path: `test-results/map/${name}-${locale}-2-panel.png` });
						await page.locator('.panel .close').click();
					}
					const target = await buildingWithCase(page);
					await searchFor(page, target.compound.name + target.building.name);
					await expect(page.locator('.leaflet-popup-content')).toBeVisible();
					await page.waitForTimeout(500);
					await page.screenshot({ path: `test-results/map/${name}-${locale}-3-building.png` });
					expect(errors).toEqual([]);
					await context.close();
				}
			}
		}
	);
});
