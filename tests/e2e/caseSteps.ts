import type { APIRequestContext, Browser, BrowserContextOptions, Page } from '@playwright/test';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { protocolVersion, schemaVersion, type PushResponse } from '$lib/sync/protocol';
import { signedInAndSynced, statusLine, type DeviceBuilding, type SignedInPerson } from './device';
import { expect } from './fixtures';

// Steps of the case tests: a case opened through the API, a move made on the case page, a device back
// online, a second person on a device of their own.

export const clientKey = () => `e2e${uuidv7().replaceAll('-', '')}`;

/** Pushes mutations as a fresh client of the person signed in on `request`. */
export async function push(
	request: APIRequestContext,
	mutations: { name: string; args: unknown }[],
	language = 'zh-CN'
) {
	const response = await request.post('/api/sync/push', {
		headers: { 'accept-language': language },
		data: {
			protocolVersion,
			schemaVersion,
			clientGroupId: clientKey(),
			clientId: clientKey(),
			mutations: mutations.map((m, i) => ({ id: i + 1, ...m, clientTime: new Date().toISOString() }))
		}
	});
	expect(response.status()).toBe(200);
	const body = (await response.json()) as PushResponse;
	expect(body.results.map((r) => r.status)).toEqual(mutations.map(() => 'applied'));
	return body;
}

/** A new urgent case in the person's grid: an observation not resolved on the spot opens it (server side). */
export async function openCase(
	request: APIRequestContext,
	me: SignedInPerson,
	building: DeviceBuilding,
	language?: string
) {
	const observationId = uuidv7();
	await push(
		request,
		[
			{
				name: 'observation.create',
				args: {
					id: observationId,
					category: 'safety',
					subtype: 'safety.fire_hazard',
					severity: 'high',
					location: { ...building.point, accuracy: 8 },
					compoundId: building.compoundId,
					buildingId: building.id,
					gridId: building.gridId,
					note: `楼道堆放杂物 ${Date.now()}`,
					photos: [],
					observedAt: new Date().toISOString(),
					resolvedOnSpot: false,
					by: me.id
				}
			}
		],
		language
	);
	return uuidv5('case-from-observation', observationId);
}

export async function synced(page: Page) {
	await expect(page.locator('p.pending')).toHaveCount(0, { timeout: 30_000 });
	await expect(statusLine(page)).toContainText(/已同步|Synced/, { timeout: 30_000 });
}

/**
 * Back online until `arrived` holds. The app syncs on `online`; should that sync still meet the network
 * down (Chromium's emulation switches over a moment later), the runner waits out its backoff, as a person
 * would, who then presses "Sync now".
 */
export async function backOnline(page: Page, arrived: () => Promise<void>) {
	await page.context().setOffline(false);
	await expect(async () => {
		try {
			await arrived();
		} catch (error) {
			const button = page.locator('.status').getByRole('button', { name: /^(立即同步|Sync now)$/ });
			if (await button.isEnabled()) await button.click();
			throw error;
		}
	}).toPass({ timeout: 60_000, intervals: [10_000] });
}

/** Opens a move's form and confirms it. */
export async function move(page: Page, button: string | RegExp, confirm: string | RegExp) {
	await page.locator('.moves').getByRole('button', { name: button, exact: true }).click();
	await page.locator('#move-form').getByRole('button', { name: confirm }).click();
}

/** A second person on their own device (a browser context of their own), signed in and synced. */
export async function secondDevice(
	browser: Browser,
	username: string,
	locale: string,
	options: BrowserContextOptions = {}
) {
	const context = await browser.newContext({ ...options, locale });
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	page.on('console', (m) => {
		if (m.type() === 'error' && !m.text().includes('status of 404')) errors.push(m.text());
	});
	const me = await signedInAndSynced(page, username);
	return { context, page, me, errors };
}
