import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { demoPassword, expect, logIn, test } from './fixtures';
import { makeJpeg } from './photos';

/*
 * DESIGN.md §4 invariant 1 in a real browser profile on disk: a report saved with no network survives
 * closing the browser, is there when the phone opens the app again still offline, and syncs once the
 * network is back; a session that ends mid-sync loses nothing and syncs after logging in again.
 */

// Offline, sync requests fail by design and Chromium logs them; a new photo's HEAD check answers 404.
test.use({
	locale: 'en-GB',
	expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/,
	expectedHttpErrors: [404]
});
test.setTimeout(180_000);

const statusLine = (page: Page) => page.locator('.status .what');

async function open(
	playwright: typeof import('playwright-core'),
	profile: string,
	baseURL: string
): Promise<{ context: BrowserContext; page: Page }> {
	const project = test.info().project.use;
	const context = await playwright.chromium.launchPersistentContext(profile, {
		...project.launchOptions,
		viewport: project.viewport,
		deviceScaleFactor: project.deviceScaleFactor,
		isMobile: project.isMobile,
		hasTouch: project.hasTouch,
		userAgent: project.userAgent,
		locale: 'en-GB',
		baseURL
	});
	return { context, page: context.pages()[0] ?? (await context.newPage()) };
}

async function signedInAndSynced(page: Page) {
	await expect(async () => {
		await logIn(page, 'volunteer');
		await expect(page.locator('.role')).toBeVisible({ timeout: 5_000 });
	}).toPass({ timeout: 30_000 });
	await expect(statusLine(page)).toContainText('Synced', { timeout: 90_000 });
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/** Saves a report on /observe: category, subtype, photo, the building the list offers first, save. */
async function reportProblem(page: Page, note: string) {
	await page.goto('/observe');
	await page.getByRole('button', { name: 'Sanitation' }).click();
	await page.getByRole('button', { name: 'Overflowing bin' }).click();
	await page.locator('input[name=camera]').setInputFiles({
		name: 'IMG_3001.jpg',
		mimeType: 'image/jpeg',
		buffer: await makeJpeg(page, { width: 800, height: 600 })
	});
	await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible({ timeout: 20_000 });
	// No GPS here: the building is picked from the list (any of the person's will do).
	await page.locator('input[name=building]').first().check();
	await page.getByLabel(/Note/).fill(note);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText(/Saved on this device/)).toBeVisible();
}

async function outboxCount(page: Page): Promise<number> {
	return page.evaluate(
		() =>
			new Promise<number>((resolve, reject) => {
				const request = indexedDB.open('gridwalk');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const count = request.result.transaction('outbox').objectStore('outbox').count();
					count.onsuccess = () => {
						request.result.close();
						resolve(count.result);
					};
				};
			})
	);
}

test('a report saved offline survives closing the browser, opens offline again, and syncs once online', async ({
	playwright,
	baseURL
}) => {
	const profile = mkdtempSync(path.join(tmpdir(), 'gridwalk-phone-'));
	try {
		let { context, page } = await open(playwright, profile, baseURL!);
		await signedInAndSynced(page);
		await context.setOffline(true);
		await reportProblem(page, 'bins by gate 2 overflowing, saved in the basement');
		await expect(statusLine(page)).toContainText('1 waiting to sync');
		await context.close();

		({ context, page } = await open(playwright, profile, baseURL!));
		await context.setOffline(true);
		await page.goto('/');
		await expect(page.locator('.status .net')).toHaveText('Offline');
		await expect(statusLine(page)).toContainText('1 waiting to sync');
		expect(await outboxCount(page)).toBe(1);

		await context.setOffline(false);
		await page.getByRole('button', { name: 'Sync now' }).click();
		await expect(statusLine(page)).toContainText('Synced', { timeout: 30_000 });
		expect(await outboxCount(page)).toBe(0);
		await context.close();
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
});

test.describe(() => {
	// The sync's first request after the session ended is answered 401, as it should be.
	test.use({ expectedHttpErrors: [401, 404] });

	test('a session that ends mid-sync loses nothing: the app asks to log in again, then syncs', async ({
		page,
		context,
		playwright,
		baseURL
	}) => {
		await signedInAndSynced(page);
		await context.setOffline(true);
		await reportProblem(page, 'lamp out on floor 3, noted offline');
		// Meanwhile the session ends on the server (expired or revoked): here, revoked from another client.
		const cookies = await context.cookies();
		const other = await playwright.request.newContext({
			baseURL,
			extraHTTPHeaders: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') }
		});
		expect((await other.post('/api/auth/logout')).status()).toBe(200);
		await other.dispose();

		await context.setOffline(false);
		await page.getByRole('button', { name: 'Sync now' }).click();
		const banner = page.getByRole('alert').filter({ hasText: 'log in again' });
		await expect(banner).toBeVisible({ timeout: 30_000 });
		await expect(statusLine(page)).toContainText('1 waiting to sync');
		expect(await outboxCount(page)).toBe(1);

		await banner.getByRole('link', { name: 'Log in again' }).click();
		await page.locator('input[name=username]').fill('volunteer');
		await page.locator('input[name=password]').fill(demoPassword);
		await page.getByRole('button', { name: /Log in/ }).click();
		await expect(statusLine(page)).toContainText('Synced', { timeout: 30_000 });
		expect(await outboxCount(page)).toBe(0);
	});
});
