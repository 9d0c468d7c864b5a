import type { Page } from '@playwright/test';
import { buildingsInScope, putRows, signedInAndSynced, standBy, type DeviceBuilding } from './device';
import { expect, screenshots, test } from './fixtures';

// /mine: the person's own records on the device, with their state, filters, search, and a list that stays
// small in the page however many records there are.

// Before uploading a photo the sync asks the blob store whether it has it (HEAD): a new photo answers 404.
test.use({ expectedHttpErrors: [404] });

const rows = (page: Page) => page.locator('ol.records > li');

const subtypes = [
	['parking', 'parking.fire_lane_blocked'],
	['sanitation', 'sanitation.overflowing_bin'],
	['safety', 'safety.light_broken'],
	['facility', 'facility.elevator']
] as const;

/** Observations by `by`, one an hour back from now, at the given buildings. */
function observations(count: number, by: string, buildings: DeviceBuilding[], prefix = 'e2e-mine') {
	const now = Date.now();
	return Array.from({ length: count }, (_, i) => {
		const [category, subtype] = subtypes[i % subtypes.length];
		const building = buildings[i % buildings.length];
		return {
			id: `${prefix}-${String(i).padStart(5, '0')}`,
			category,
			subtype,
			severity: (['low', 'medium', 'high'] as const)[i % 3],
			location: { lat: building.point.lat, lng: building.point.lng, accuracy: 10 },
			compoundId: building.compoundId,
			buildingId: building.id,
			gridId: building.gridId,
			note: `Note number ${i}`,
			photos: [],
			observedAt: new Date(now - i * 3_600_000).toISOString(),
			resolvedOnSpot: i % 5 === 0,
			by
		};
	});
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(120_000);

	test.describe(() => {
		// Offline, the sync's requests fail by design; Chromium logs each as an error.
		test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

		test('a report saved offline shows as saved on this device, then synced once online; search and type filter narrow the list', async ({
			page,
			context
		}) => {
			const me = await signedInAndSynced(page);
			const [building] = await buildingsInScope(page, me);
			await standBy(context, building);

			// The list in a second tab of the same device: it follows what the first tab saves.
			const list = await context.newPage();
			await list.goto('/mine');
			await expect(list.getByRole('heading', { level: 1, name: '我的记录' })).toBeVisible();
			await expect(list.locator('.summary')).toContainText(/共 [\d,]+ 条|本机上还没有/);
			const before = await rows(list).count();

			await page.goto('/observe');
			await context.setOffline(true);
			await expect(page.locator('.status .net')).toHaveText('离线');
			await page.getByRole('button', { name: '停车' }).click();
			await page.getByRole('button', { name: '消防通道被占用' }).click();
			await expect(page.locator(`input[name=building][value="${building.id}"]`)).toBeChecked();
			const note = `东门红色轿车 ${Date.now()}`;
			await page.getByLabel('补充说明（可不填）').fill(note);
			await page.getByRole('button', { name: '保存' }).click();
			await expect(page.getByText('已保存在本机，联网后会自动同步。')).toBeVisible();

			const mine = list.locator('a.record').filter({ hasText: note });
			await expect(mine).toBeVisible();
			await expect(mine.locator('.state')).toHaveText('已保存在本机');
			await expect(mine.locator('.title')).toHaveText('消防通道被占用');
			await expect(mine).toContainText(building.name);
			expect(await rows(list).count()).toBeGreaterThanOrEqual(Math.min(before + 1, 2));

			await context.setOffline(false);
			await expect(mine.locator('.state')).toHaveText('已同步', { timeout: 30_000 });

			// The search box: the note, then the building and the problem in words.
			await list.getByRole('searchbox').fill(note.split(' ')[1]);
			await expect(rows(list)).toHaveCount(1);
			await expect(list.locator('.summary')).toContainText(/^1 \/ [\d,]+ 条/);
			await list.getByRole('searchbox').fill(`${building.name} 消防通道`);
			await expect(mine).toBeVisible();
			await list.getByRole('searchbox').fill('没有这样的记录 xyz');
			await expect(list.getByText('没有符合筛选条件的记录。')).toBeVisible();
			await list.getByRole('button', { name: '清除筛选' }).click();
			await expect(mine).toBeVisible();

			// The type filter: feedback only, so this observation goes; the address keeps the filter.
			await list.locator('select[name=type]').selectOption('feedback');
			await expect(mine).toHaveCount(0);
			await expect(list).toHaveURL(/type=feedback/);
			for (const type of await list.locator('a.record .type').allTextContents())
				expect(type).toBe('居民反馈');
			await list.locator('select[name=type]').selectOption('observation');
			await expect(mine).toBeVisible();

			// Open it: its fields in words.
			await mine.click();
			await expect(list.getByRole('heading', { level: 1, name: '消防通道被占用' })).toBeVisible();
			await expect(list.locator('dl')).toContainText('停车 · 消防通道被占用');
			await expect(list.locator('dl')).toContainText(note);
			await expect(list.locator('dl')).toContainText(building.name);
			await expect(list.locator('.state')).toHaveText('已同步');
			await list.getByRole('link', { name: '返回我的记录' }).click();
			await expect(list.locator('select[name=type]')).toHaveValue('observation');
		});
	});

	test('with 10,000 records the page holds fewer than 100 rows, and scrolling keeps showing the right ones', async ({
		page
	}) => {
		const me = await signedInAndSynced(page);
		const buildings = await buildingsInScope(page, me);
		await putRows(page, 'observation', observations(10_000, me.id, buildings, 'e2e-many'));
		// A refusal for one of them: the status bar's "needs attention" opens the list at it.
		await putRows(page, 'rejected', [
			{
				id: 900_001,
				mutation: { id: 900_001, name: 'observation.update', args: {}, clientTime: new Date().toISOString() },
				collection: 'observation',
				recordId: 'e2e-many-00003',
				code: 'FORBIDDEN',
				message: '不在您的负责范围内',
				at: new Date().toISOString()
			}
		]);

		const started = Date.now();
		await page.goto('/mine');
		await expect(rows(page).first()).toBeVisible({ timeout: 30_000 });
		const firstRender = Date.now() - started;
		const listed = await page.evaluate(() => {
			const [mark] = performance.getEntriesByName('gridwalk:mine-listed');
			return mark ? Math.round(mark.startTime) : null;
		});
		console.log(
			`/mine with 10,000+ records: first row after ${firstRender} ms (records listed at ${listed} ms)`
		);

		await expect(page.locator('.summary')).toContainText(/共 1[0-9],?\d{3} 条/);
		const total = await page
			.locator('ol.records')
			.evaluate((ol) => ol.querySelector('li')?.getAttribute('aria-setsize'));
		expect(Number(total)).toBeGreaterThanOrEqual(10_000);
		expect(await rows(page).count()).toBeLessThan(100);
		await expect(page.locator('a.record').filter({ hasText: 'Note number 0' })).toBeVisible();

		// Halfway down: the rows there are rendered, still few.
		await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
		await expect(async () => {
			const positions = await rows(page).evaluateAll((li) =>
				li.map((l) => Number(l.getAttribute('aria-posinset')))
			);
			expect(Math.min(...positions)).toBeGreaterThan(Number(total) / 2 - 100);
			expect(positions.length).toBeLessThan(100);
		}).toPass();
		const middle = rows(page)
			.filter({ has: page.locator('a.record') })
			.nth(10);
		await expect(middle).toBeInViewport();

		// The bottom: the oldest record, the list's last.
		await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
		// Other tests of this volunteer may sync a record in meanwhile: the last row is the list's last, whatever its size.
		const last = rows(page).last();
		await expect(async () => {
			expect(await last.getAttribute('aria-posinset')).toBe(await last.getAttribute('aria-setsize'));
		}).toPass();
		await expect(rows(page).last()).toBeInViewport();
		expect(await rows(page).count()).toBeLessThan(100);

		// Search over all of them stays on the device and quick; the state filter from the status bar.
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.getByRole('searchbox').fill('Note number 9999');
		await expect(rows(page)).toHaveCount(1);
		await page.getByRole('link', { name: /1 条需处理/ }).click();
		await expect(page).toHaveURL(/\/mine\?state=attention/);
		await expect(page.locator('select[name=state]')).toHaveValue('attention');
		const refused = page.locator('a.record').first();
		await page.getByRole('searchbox').fill('Note number 3');
		await expect(rows(page)).toHaveCount(1);
		await expect(refused.locator('.state')).toHaveText('需处理');
		await expect(refused).toContainText('原因：不在您的负责范围内');
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
	const locales = ['zh-CN', 'en-GB'];

	test(
		'the list and a record at 360×640 and 1366×800, in Chinese and English (test-results/mine/)',
		screenshots,
		async ({ browser }) => {
			for (const size of sizes) {
				for (const locale of locales) {
					const { name, ...options } = size;
					const context = await browser.newContext({ ...options, locale });
					const page = await context.newPage();
					const errors: string[] = [];
					page.on('pageerror', (error) => errors.push(error.message));
					page.on('console', (m) => {
						if (m.type() === 'error' && !m.text().includes('status of 404')) errors.push(m.text());
					});
					const me = await signedInAndSynced(page);
					const buildings = await buildingsInScope(page, me);
					await putRows(page, 'observation', observations(240, me.id, buildings, 'e2e-shot'));
					await putRows(page, 'rejected', [
						{
							id: 900_002,
							mutation: {
								id: 900_002,
								name: 'observation.update',
								args: {},
								clientTime: new Date().toISOString()
							},
							collection: 'observation',
							recordId: 'e2e-shot-00001',
							code: 'FORBIDDEN',
							message: locale === 'en-GB' ? 'Not in your area of responsibility' : '不在您的负责范围内',
							at: new Date().toISOString()
						}
					]);
					await page.goto('/mine');
					await expect(rows(page).nth(3)).toBeVisible();
					await page.screenshot({ path: `test-results/mine/${name}-${locale}-1-list.png` });
					await page.getByRole('searchbox').fill(locale === 'en-GB' ? 'fire lane' : '消防');
					await page.locator('select[name=state]').selectOption('synced');
					await expect(rows(page).first()).toBeVisible();
					await page.screenshot({ path: `test-results/mine/${name}-${locale}-2-filtered.png` });
					await page.goto('/mine/observation/e2e-shot-00001');
					await expect(page.locator('dl')).toBeVisible();
					await page.screenshot({ path: `test-results/mine/${name}-${locale}-3-record.png` });
					expect(errors).toEqual([]);
					await context.close();
				}
			}
		}
	);
});
