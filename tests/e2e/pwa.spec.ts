import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, logIn, test } from './fixtures';
import { ReleaseProxy } from './releaseProxy';

/** Waits until the service worker is active and controls the page (clientsClaim() on a first install). */
async function workerControls(page: Page) {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (navigator.serviceWorker.controller) return;
		await new Promise((resolve) =>
			navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
		);
	});
}

const checkForUpdate = (page: Page) =>
	page.evaluate(async () => {
		const registration = await navigator.serviceWorker.getRegistration();
		await registration?.update();
	});

/**
 * The worker's behaviour is the same at any screen size (one engine, one worker): these run in the laptop
 * projects, once per database. Layout is checked by the screenshots and the login and home page tests.
 */
test.describe('offline and installable', { tag: '@laptop' }, () => {
	test.use({ locale: 'zh-CN' });

	test.describe(() => {
		// Offline, the page's own requests to the API fail by design; Chromium logs each as an error.
		test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

		test.describe(() => {
			// The router reports the pages that do not exist yet (they are being built) as it shows its 404;
			// /map asks for tiles never seen, which the worker cannot give offline (ERR_FAILED).
			test.use({
				expectedConsoleErrors:
					/net::ERR_INTERNET_DISCONNECTED|net::ERR_FAILED|Not found: \/(review\/audit|patrol|feedback|visit|mine|cases|map)/
			});

			test('after one online visit the app opens offline: home, reload and never-visited deep links', async ({
				page,
				context
			}) => {
				await logIn(page, 'volunteer');
				await expect(page.locator('.role')).toHaveText('志愿者');
				await workerControls(page);
				// The first install said so, on whichever page the person was.
				await expect(page.getByText('已可离线使用')).toBeVisible();
				await context.setOffline(true);

				const reloaded = await page.reload();
				expect(reloaded?.fromServiceWorker(), 'the home page comes from the worker').toBe(true);
				await expect(page.getByRole('heading', { level: 1 })).toContainText('您好');
				await expect(page.locator('.role')).toHaveText('志愿者');
				await expect(page.getByText('@volunteer')).toBeVisible();

				// Pages the person never opened, one and two levels deep, with a query: the shell opens them and
				// the router renders them (a route still to be built shows the router's own 404 for now).
				// Every field route, and /login: offline it says logging in needs the network (no browser error page).
				const headings: Record<string, RegExp> = {
					'/settings?x=1': /^设置$/,
					'/observe': /^上报问题$/,
					'/patrol': /.+/,
					'/feedback': /^居民反馈$/,
					'/visit': /^入户走访$/,
					'/mine': /.+/,
					'/cases': /.+/,
					'/map': /.+/,
					'/review/audit': /.+/,
					'/login': /^现在没有网络$/
				};
				for (const [path, heading] of Object.entries(headings)) {
					const opened = await page.goto(path);
					expect(opened?.fromServiceWorker(), `${path} comes from the worker`).toBe(true);
					expect(opened?.status()).toBe(200);
					await expect(page.getByRole('heading', { level: 1 }).first()).toHaveText(heading);
					expect(new URL(page.url()).pathname).toBe(path.split('?')[0]);
				}

				// Back home by the router, still offline.
				await page.goto('/');
				await expect(page.getByRole('heading', { level: 1 })).toContainText('您好');
			});
		});

		test('API answers are never served from a cache', async ({ page, context }) => {
			await logIn(page, 'volunteer');
			await expect(page.locator('.role')).toHaveText('志愿者');
			await workerControls(page);
			const online = await page.evaluate(() => fetch('/api/health').then((r) => r.status));
			expect(online).toBe(200);

			await context.setOffline(true);
			const offline = await page.evaluate(() =>
				fetch('/api/health').then(
					(r) => `answered ${r.status}`,
					() => 'failed'
				)
			);
			expect(offline).toBe('failed');
			const me = await page.evaluate(() =>
				fetch('/api/auth/me').then(
					(r) => `answered ${r.status}`,
					() => 'failed'
				)
			);
			expect(me).toBe('failed');
		});
	});

	test.describe(() => {
		test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

		test('photos and map tiles seen once are kept on the device for offline use', async ({
			page,
			context
		}) => {
			await logIn(page, 'volunteer');
			await expect(page.locator('.role')).toHaveText('志愿者');
			await workerControls(page);

			const png = readFileSync('static/icons/icon-192.png');
			const sha256 = createHash('sha256').update(png).digest('hex');
			const upload = await page.request.put(`/api/blobs/${sha256}`, {
				data: png,
				headers: { 'content-type': 'image/png' }
			});
			expect(upload.ok()).toBe(true);
			// A tile server on another host, answered by the test: the worker's own requests go through it.
			let tileRequests = 0;
			await context.route('https://tiles.example.test/**', (route) => {
				tileRequests++;
				return route.fulfill({ body: png, contentType: 'image/png' });
			});

			const show = (photo: string, tile: string) =>
				page.evaluate(
					async ({ photo, tile }) => {
						const load = (src: string) =>
							new Promise<string>((resolve) => {
								const image = new Image();
								image.onload = () => resolve(`${image.naturalWidth}px`);
								image.onerror = () => resolve('failed');
								image.src = src;
							});
						return { photo: await load(photo), tile: await load(tile) };
					},
					{ photo, tile }
				);
			const photo = `/api/blobs/${sha256}`;
			const tile = 'https://tiles.example.test/17/109384/53752.png';
			expect(await show(photo, tile)).toEqual({ photo: '192px', tile: '192px' });
			const kept = await page.evaluate(
				async ({ photo, tile }) => ({
					photo: !!(await (await caches.open('gridwalk-photos-v1')).match(photo)),
					tile: !!(await (await caches.open('gridwalk-tiles-v1')).match(tile))
				}),
				{ photo, tile }
			);
			expect(kept).toEqual({ photo: true, tile: true });

			await context.setOffline(true);
			await page.reload();
			await expect(page.locator('.role')).toHaveText('志愿者');
			expect(await show(photo, tile)).toEqual({ photo: '192px', tile: '192px' });
			expect(tileRequests, 'the tile came from the cache the second time').toBe(1);
		});
	});

	test("the browser's background sync reaches the page, which owns the data", async ({ page }) => {
		await page.goto('/login');
		await workerControls(page);
		const received = page.evaluate(
			() =>
				new Promise((resolve) =>
					navigator.serviceWorker.addEventListener('message', (event) => resolve(event.data), { once: true })
				)
		);
		// What Chromium does when the network is back for a registered 'gridwalk-sync'.
		const cdp = await page.context().newCDPSession(page);
		const registered = new Promise<string>((resolve) =>
			cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
				if (registrations[0]) resolve(registrations[0].registrationId);
			})
		);
		await cdp.send('ServiceWorker.enable');
		await cdp.send('ServiceWorker.dispatchSyncEvent', {
			origin: new URL(page.url()).origin,
			registrationId: await registered,
			tag: 'gridwalk-sync',
			lastChance: false
		});
		expect(await received).toEqual({ type: 'SYNC' });
	});

	test('Chromium finds nothing in the way of installing the app', async ({ playwright, baseURL }) => {
		// A new context is off the record, where Chromium never installs: this check needs a real profile.
		const profile = mkdtempSync(path.join(tmpdir(), 'gridwalk-install-'));
		const context = await playwright.chromium.launchPersistentContext(profile, {
			...test.info().project.use.launchOptions,
			baseURL
		});
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto('/login');
		await workerControls(page);
		const cdp = await context.newCDPSession(page);
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		expect(installabilityErrors).toEqual([]);
		const { errors } = await cdp.send('Page.getAppManifest');
		expect(errors).toEqual([]);

		const manifest = await (await page.request.get('/manifest.webmanifest')).json();
		expect(manifest).toMatchObject({ start_url: '/', scope: '/', display: 'standalone', lang: 'zh-CN' });
		expect(manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual([
			'192x192 any',
			'512x512 any',
			'512x512 maskable'
		]);
		expect(manifest.shortcuts.map((s: { url: string }) => s.url)).toEqual(['/observe', '/patrol']);
		for (const src of [...manifest.icons, ...manifest.shortcuts.flatMap((s: { icons: [] }) => s.icons)].map(
			(i: { src: string }) => i.src
		)) {
			const icon = await page.request.get(src);
			expect(icon.headers()['content-type'], src).toBe('image/png');
		}
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	});

	test('a new version waits for the person, and never reloads under a half-filled form', async ({
		page,
		baseURL
	}) => {
		const server = await new ReleaseProxy(baseURL!).start();
		await page.goto(`${server.url}/login`);
		await workerControls(page);
		const prompt = page.getByRole('status').filter({ hasText: '新版本已就绪' });
		const reload = page.getByRole('button', { name: '重新加载' });
		await expect(prompt).toHaveCount(0);

		server.release();
		await checkForUpdate(page);
		await expect(prompt).toBeVisible();
		await expect(reload).toBeEnabled();
		// Installed, not activated: the page keeps the worker it started with.
		expect(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).waiting)).toBe(true);

		await page.locator('input[name=username]').fill('leader');
		await expect(reload).toBeDisabled();
		await expect(prompt).toContainText('请先完成或保存');
		await page.locator('input[name=username]').fill('');
		await expect(reload).toBeEnabled();
		await expect(prompt).not.toContainText('请先完成或保存');

		const reloaded = page.waitForEvent('load');
		await reload.click();
		await reloaded;
		await expect(page.locator('input[name=username]')).toBeVisible();
		await expect(prompt).toHaveCount(0);
		expect(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).waiting)).toBe(false);
		await server.stop();
	});
});

test.describe('install', () => {
	test.use({ locale: 'en-GB' });

	test('the install button appears when the browser offers installation, and opens its dialog', async ({
		page
	}) => {
		await logIn(page, 'leader');
		await expect(page.locator('.role')).toHaveText('Grid leader');
		const install = page.getByRole('button', { name: 'Install the app' });
		await expect(install).toHaveCount(0);

		// Chromium offers installation when it decides to; the test makes the offer itself.
		await page.evaluate(() => {
			const offer = new Event('beforeinstallprompt', { cancelable: true });
			Object.assign(offer, {
				prompt: async () => document.documentElement.setAttribute('data-install-prompted', ''),
				userChoice: Promise.resolve({ outcome: 'accepted' })
			});
			dispatchEvent(offer);
		});
		await expect(install).toBeVisible();
		await install.click();
		await expect(page.locator('html')).toHaveAttribute('data-install-prompted', '');
		await expect(install).toHaveCount(0);
	});

	test.describe(() => {
		test.use({
			userAgent:
				'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1'
		});

		test('iOS Safari is told how to add the app to the home screen', async ({ page }) => {
			await logIn(page, 'volunteer');
			await expect(page.getByText('Tap Share → Add to Home Screen')).toBeVisible();
		});
	});

	test('other browsers get no iOS hint', async ({ page }) => {
		await logIn(page, 'volunteer');
		await expect(page.locator('.role')).toHaveText('Volunteer');
		await expect(page.getByText('Tap Share → Add to Home Screen')).toHaveCount(0);
	});
});
