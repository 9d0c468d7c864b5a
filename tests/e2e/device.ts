import type { BrowserContext, Page } from '@playwright/test';
import { digestSegments, digestTable, tiers, type DigestFields } from '$lib/client/digest';
import { mapFields } from '$lib/client/map/mapFields';
import type { CollectionName } from '$lib/sync/collections';
import { expect, logIn } from './fixtures';

// Helpers of the field routes' tests: the device database read and written straight in IndexedDB,
// a signed-in and synced device, a building in scope and the GPS standing at it.

export interface DeviceBuilding {
	id: string;
	compoundId: string;
	gridId: string;
	name: string;
	point: { lat: number; lng: number };
}

/** Rows of one table of the device database, read straight from IndexedDB (blobs as their size and type). */
export async function deviceRows<T>(page: Page, store: string): Promise<T[]> {
	const rows = await page.evaluate(
		(store) =>
			new Promise<unknown[]>((resolve, reject) => {
				const open = indexedDB.open('gridwalk');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const request = db.transaction(store).objectStore(store).getAll();
					request.onerror = () => reject(request.error);
					request.onsuccess = () => {
						db.close();
						resolve(
							request.result.map((row: Record<string, unknown>) =>
								row.blob instanceof Blob
									? { ...row, blob: { size: row.blob.size, type: row.blob.type } }
									: row
							)
						);
					};
				};
			}),
		store
	);
	return rows as T[];
}

export const statusLine = (page: Page) => page.locator('.status .what');

/** Writes rows into one table of the device database, straight in IndexedDB. */
export async function putRows(page: Page, store: string, values: unknown[]) {
	// Written behind Dexie, so the map's digests of the records are written here too, as the app packs them.
	const fields = (mapFields as DigestFields)[store as CollectionName];
	const segments = fields
		? digestSegments(store as CollectionName, fields, tiers.appended, values as Record<string, unknown>[])
		: [];
	await page.evaluate(
		({ store, values, digest, segments }) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('gridwalk');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const tx = open.result.transaction(segments.length ? [store, digest] : [store], 'readwrite');
					const table = tx.objectStore(store);
					for (const value of values) table.put(value);
					for (const segment of segments) tx.objectStore(digest).add(segment);
					tx.oncomplete = () => {
						open.result.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		{ store, values, digest: digestTable, segments }
	);
}

export interface SignedInPerson {
	id: string;
	role: string;
	scope: { all: boolean; compoundIds: string[]; gridIds: string[] };
}

/** Logs in and waits for the first sync, which pulls the person's district onto the device. */
export async function signedInAndSynced(page: Page, username = 'volunteer'): Promise<SignedInPerson> {
	// A fresh context may take the click before the login page has hydrated: then the login is tried again.
	await expect(async () => {
		await logIn(page, username);
		await expect(page.locator('.role')).toBeVisible({ timeout: 5_000 });
	}).toPass({ timeout: 30_000 });
	await expect(statusLine(page)).toContainText(/已同步|Synced/, { timeout: 60_000 });
	// From here the device works offline: a test may take the network away at once.
	await workerInControl(page);
	return (await (await page.request.get('/api/auth/me')).json()) as SignedInPerson;
}

/** The buildings where the person may record (for a grid leader: in their own grids), by id. */
export async function buildingsInScope(page: Page, me: SignedInPerson): Promise<DeviceBuilding[]> {
	const buildings = await deviceRows<DeviceBuilding>(page, 'building');
	return buildings
		.filter(
			(b) =>
				me.scope.all ||
				(me.role === 'grid_leader'
					? me.scope.gridIds.includes(b.gridId)
					: me.scope.compoundIds.includes(b.compoundId))
		)
		.sort((a, b) => a.id.localeCompare(b.id));
}

/** A building where the signed-in person may record (for a grid leader: in their own grids). */
export async function buildingInScope(page: Page): Promise<DeviceBuilding> {
	const me = (await (await page.request.get('/api/auth/me')).json()) as SignedInPerson;
	const mine = await buildingsInScope(page, me);
	expect(mine.length).toBeGreaterThan(0);
	return mine[0];
}

/** Waits until the service worker controls the page: from then on the app opens with no network. */
export async function workerInControl(page: Page) {
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

export async function standBy(context: BrowserContext, building: DeviceBuilding, accuracy = 12) {
	await context.grantPermissions(['geolocation']);
	await context.setGeolocation({ latitude: building.point.lat, longitude: building.point.lng, accuracy });
}

/** Waits until the GPS suggestion has picked the building. */
export async function buildingPicked(page: Page, building: DeviceBuilding) {
	await expect(page.locator(`input[name=building][value="${building.id}"]`)).toBeChecked({ timeout: 15_000 });
}

/** Screenshots of the whole page one screen at a time (the status and save bars stay where the person sees them). */
export async function screens(page: Page, path: (n: number) => string) {
	await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
	for (let n = 1; n <= 8; n++) {
		await page.waitForTimeout(150);
		await page.screenshot({ path: path(n) });
		const moved = await page.evaluate(() => {
			const before = window.scrollY;
			window.scrollBy({ top: window.innerHeight - 180, behavior: 'instant' });
			return window.scrollY !== before;
		});
		if (!moved) break;
	}
}
