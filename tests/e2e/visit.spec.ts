import { expect, screenshots, test } from './fixtures';
import { buildingInScope, buildingPicked, deviceRows, screens, signedInAndSynced, standBy } from './device';

// /visit: a grid leader records a household visit; a volunteer is told only grid leaders do.

interface DeviceVisit {
	id: string;
	gridId: string;
	buildingId: string;
	unit: string | null;
	purpose: string;
	summary: string;
	residentsMet: number;
	needsFollowUp: boolean;
	location: { lat: number; lng: number; accuracy: number } | null;
	visitedAt: string;
	by: string;
}

async function madeSince(page: import('@playwright/test').Page, since: string) {
	const rows = await deviceRows<DeviceVisit>(page, 'visit');
	return rows.filter((v) => v.visitedAt >= since);
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(120_000);

	test('a grid leader records a visit that needs follow-up, at a building of their grid', async ({
		page,
		context
	}) => {
		await signedInAndSynced(page, 'leader');
		const building = await buildingInScope(page);
		await standBy(context, building);
		const since = new Date().toISOString();
		await page.getByRole('link', { name: /入户走访/ }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('入户走访');
		await buildingPicked(page, building);

		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByText('请选择走访目的。')).toBeVisible();
		await expect(page.getByText('请填写走访情况。')).toBeVisible();
		expect(await madeSince(page, since)).toEqual([]);

		await page.getByLabel('单元/门牌（可不填）').fill('2单元301');
		await page.getByRole('radio', { name: '关爱老人' }).check();
		await page.getByLabel('走访情况').fill('独居老人，腿脚不便，需要助餐服务');
		await page.getByLabel('见到的居民人数').fill('1');
		await page.getByRole('switch', { name: /需要跟进/ }).check();
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible();
		// The server takes it (and opens the follow-up case).
		await expect(page.getByText('已保存并同步到服务器。')).toBeVisible({ timeout: 30_000 });

		const [saved] = await madeSince(page, since);
		expect(saved).toMatchObject({
			gridId: building.gridId,
			buildingId: building.id,
			unit: '2单元301',
			purpose: 'elderly_care',
			summary: '独居老人，腿脚不便，需要助餐服务',
			residentsMet: 1,
			needsFollowUp: true,
			location: { lat: building.point.lat, lng: building.point.lng, accuracy: 12 }
		});
	});

	test('a volunteer is told that only grid leaders record visits', async ({ page }) => {
		await signedInAndSynced(page, 'volunteer');
		await page.goto('/visit');
		await expect(page.getByRole('alert')).toContainText('只有网格长可以记录入户走访。');
		await expect(page.getByRole('button', { name: '保存' })).toHaveCount(0);
	});
});

test.describe('in English', () => {
	test.use({ locale: 'en-GB' });
	test.setTimeout(120_000);

	test('a volunteer is told in English that only grid leaders record visits', async ({ page }) => {
		await signedInAndSynced(page, 'volunteer');
		await page.goto('/visit');
		await expect(page.getByRole('alert')).toContainText('Only grid leaders record home visits.');
	});
});

test.describe('screenshots', () => {
	test.setTimeout(180_000);
	test.use({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2 });

	for (const locale of ['zh-CN', 'en-GB']) {
		test.describe(locale, () => {
			test.use({ locale });
			test(`/visit at 360×640 in ${locale} (test-results/visit/)`, screenshots, async ({ page, context }) => {
				await signedInAndSynced(page, 'leader');
				const building = await buildingInScope(page);
				await standBy(context, building);
				await page.goto('/visit');
				await buildingPicked(page, building);
				await screens(page, (n) => `test-results/visit/${locale}-leader-${n}.png`);
				await page.getByRole('button', { name: /保存|Save/ }).click();
				await screens(page, (n) => `test-results/visit/${locale}-errors-${n}.png`);

				const volunteer = await page
					.context()
					.browser()!
					.newContext({
						viewport: { width: 360, height: 640 },
						deviceScaleFactor: 2,
						locale
					});
				const other = await volunteer.newPage();
				await signedInAndSynced(other, 'volunteer');
				await other.goto('/visit');
				await other.getByRole('alert').waitFor();
				await other.screenshot({ path: `test-results/visit/${locale}-volunteer.png` });
				await volunteer.close();
			});
		});
	}
});
