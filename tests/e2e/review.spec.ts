import { expect, screenshots, test } from './fixtures';
import { signedInAndSynced } from './device';

// Coordinators review the demo district: the dashboard, its filters and exports, and the monthly assessment.

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(120_000);

	test('a coordinator opens the dashboard, a filter changes the figures, and exports download', async ({
		page
	}) => {
		await signedInAndSynced(page, 'coordinator');
		await page.getByRole('link', { name: /审核看板/ }).click();
		await expect(page.getByRole('heading', { name: '审核看板', level: 1 })).toBeVisible();
		const observations = page.getByTestId('total-observations').locator('strong');
		await expect(observations).toHaveText(/^\d[\d,]*$/);
		const everywhere = Number((await observations.textContent())!.replace(/,/g, ''));
		expect(everywhere).toBeGreaterThan(0);
		await expect(page.getByRole('img', { name: '近 12 周趋势' })).toBeVisible();
		await expect(page.getByRole('heading', { name: '未办结问题最多的小区' })).toBeVisible();

		// One compound: fewer observations than all the coordinator's communities together.
		const compound = page.locator('select[name=compoundId]');
		const first = await compound.locator('option').nth(1).getAttribute('value');
		await compound.selectOption(first!);
		await expect(async () => {
			const one = Number((await observations.textContent())!.replace(/,/g, ''));
			expect(one).toBeLessThan(everywhere);
		}).toPass();
		// A day with nothing recorded.
		await page.locator('input[name=from]').fill('2020-01-01');
		await page.locator('input[name=to]').fill('2020-01-02');
		await page.locator('input[name=to]').dispatchEvent('change');
		await expect(observations).toHaveText('0');
		await page.getByRole('button', { name: '清除筛选' }).click();
		await expect(observations).toHaveText(String(everywhere).replace(/\B(?=(\d{3})+(?!\d))/g, ','));

		const csv = page.getByRole('link', { name: 'CSV' }).first();
		const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
		expect(download.suggestedFilename()).toMatch(/^gridwalk-observations-\d{4}-\d{2}-\d{2}\.csv$/);
	});

	test('the assessment ranks compounds, shows the flagged ones and drills down to what is behind them', async ({
		page
	}) => {
		await signedInAndSynced(page, 'coordinator');
		await page.getByRole('link', { name: /月度考评/ }).click();
		await expect(page.getByRole('heading', { name: '月度考评', level: 1 })).toBeVisible();
		await expect(page.getByText(/满意度低于 60% 的小区需约谈/)).toBeVisible();
		const flagged = page.locator('tr.flagged');
		await expect(flagged.first()).toBeVisible();
		await expect(flagged.first().getByText('需约谈')).toBeVisible();
		await expect(page.getByTestId('flagged-count')).toContainText(`${await flagged.count()} 个小区需约谈`);

		await flagged.first().getByRole('button', { name: /明细/ }).click();
		const dialog = page.getByRole('dialog');
		await expect(dialog.getByRole('heading', { name: /满意度调查（\d+ 份）/ })).toBeVisible();
		await dialog.getByRole('button', { name: '关闭' }).click();
		await expect(dialog).toHaveCount(0);

		// Another community: only its compounds.
		const community = page.locator('select[name=communityId]');
		const name = await community.locator('option').nth(1).textContent();
		await community.selectOption({ index: 1 });
		for (const text of await page.locator('tbody .community').allTextContents()) expect(text).toBe(name);
	});

	test('volunteers get 403 on every export and see no review links', async ({ page, request }) => {
		await signedInAndSynced(page, 'volunteer');
		await expect(page.getByRole('link', { name: /审核看板|月度考评/ })).toHaveCount(0);
		for (const file of ['observations.csv', 'cases.xlsx', 'feedback.geojson']) {
			const response = await page.request.get(`/api/export/${file}`);
			expect(response.status()).toBe(403);
			expect((await response.json()).code).toBe('FORBIDDEN');
		}
		expect((await page.request.get('/api/assessment')).status()).toBe(403);
		expect((await request.get('/api/export/observations.csv')).status()).toBe(401);
		await page.goto('/review');
		await expect(page.getByText('只有协调员和管理员可以查看审核看板和考评。')).toBeVisible();
	});
});

test.describe('screenshots', () => {
	test.setTimeout(180_000);
	for (const locale of ['zh-CN', 'en-GB']) {
		test.describe(locale, () => {
			test.use({ locale });
			test(
				`/review and /review/assessment at 360×640 and 1366×800 in ${locale} (test-results/review/)`,
				screenshots,
				async ({ page }) => {
					await signedInAndSynced(page, 'coordinator');
					// The one-time "ready to work offline" notice would cover the figures.
					const gotIt = page.getByRole('button', { name: /^(知道了|Got it)$/ });
					await gotIt.click({ timeout: 5_000 }).catch(() => undefined);
					for (const [width, height] of [
						[1366, 800],
						[360, 640]
					]) {
						await page.setViewportSize({ width, height });
						await page.goto('/review');
						await expect(page.getByTestId('total-observations')).toBeVisible();
						await expect(page.getByRole('img').first()).toBeVisible();
						await page.screenshot({
							path: `test-results/review/review-${width}-${locale}.png`,
							fullPage: true
						});
						await page.goto('/review/assessment');
						await expect(page.locator('tr.flagged').first()).toBeVisible();
						await page.screenshot({
							path: `test-results/review/assessment-${width}-${locale}.png`,
							fullPage: true
						});
					}
					await page.locator('tr.flagged').first().getByRole('button').click();
					await expect(page.getByRole('dialog').getByRole('heading', { level: 3 }).first()).toBeVisible();
					await page.screenshot({ path: `test-results/review/assessment-detail-360-${locale}.png` });
					await page.keyboard.press('Escape');
					await page.locator('select[name=communityId]').selectOption({ index: 1 });
					await page.setViewportSize({ width: 1000, height: 1400 });
					await page.emulateMedia({ media: 'print' });
					await page.screenshot({
						path: `test-results/review/assessment-print-${locale}.png`,
						fullPage: true
					});
				}
			);
		});
	}
});
