import { signedInAndSynced } from './device';
import { expect, screenshots, test } from './fixtures';
import { serveTiles } from './tiles';

// Admins import compounds from a CSV: the preview names the refused row, the import writes the rest,
// and the new compound reaches the device through the ordinary pull.

/** A CSV of one new compound in the demo district's first community, and a row without a name. */
function compoundsCsv(stamp: string) {
	return Buffer.from(
		[
			'社区编码,编码,名称,地址,户数,纬度,经度',
			`341302001001,E2E-${stamp},测试花园${stamp},测试路1号,80,33.6301,116.9801`,
			`341302001001,E2E-${stamp}-B,,,,33.6302,116.9802`
		].join('\n')
	);
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(90_000);

	test('an admin previews a CSV with one refused row, imports the rest and the compound reaches the device', async ({
		page,
		context
	}) => {
		await serveTiles(context);
		const stamp = `${Date.now() % 1_000_000}`;
		await signedInAndSynced(page, 'admin');
		await page.getByRole('link', { name: /导入基础数据/ }).click();
		await expect(page.getByRole('heading', { name: '导入基础数据' })).toBeVisible();

		await page
			.getByLabel('文件（CSV 或 GeoJSON）')
			.setInputFiles({ name: 'compounds.csv', mimeType: 'text/csv', buffer: compoundsCsv(stamp) });
		await page.getByRole('button', { name: '预览' }).click();
		await expect(page.getByTestId('count-create')).toContainText('1');
		await expect(page.getByTestId('count-refused')).toContainText('1');
		const refused = page.getByTestId('row-refused');
		await expect(refused).toContainText('第 3 行');
		await expect(refused).toContainText('名称：不能为空');

		await page.getByRole('button', { name: '导入（略过 1 行被拒绝的）' }).click();
		await expect(page.getByText('已导入：新建 1 条，更新 0 条。')).toBeVisible();

		// A fresh start of the app pulls the new compound; the map's search finds it on the device.
		await page.goto('/map');
		await expect(async () => {
			await page.getByLabel('搜索小区或楼栋').fill(`测试花园${stamp}`);
			await expect(page.locator('.hits button').first()).toContainText(`测试花园${stamp}`, {
				timeout: 3_000
			});
		}).toPass({ timeout: 30_000 });
	});
});

test.describe('screenshots', () => {
	test.setTimeout(120_000);
	for (const [size, viewport] of [
		['360x640', { width: 360, height: 640 }],
		['1366x800', { width: 1366, height: 800 }]
	] as const) {
		for (const locale of ['zh-CN', 'en-GB']) {
			test.describe(`${locale} ${size}`, () => {
				test.use({ locale, viewport });
				test(
					`/review/reference and /review/audit at ${size} in ${locale} (test-results/admin/)`,
					screenshots,
					async ({ page }) => {
						await signedInAndSynced(page, 'admin');
						await page.goto('/review/reference');
						await page.locator('input[type=file]').setInputFiles({
							name: 'compounds.csv',
							mimeType: 'text/csv',
							buffer: compoundsCsv(`${Date.now() % 1_000_000}`)
						});
						await page.getByRole('button', { name: /预览|Preview/ }).click();
						await expect(page.getByTestId('row-refused')).toBeVisible();
						await page.screenshot({
							path: `test-results/admin/reference-${locale}-${size}.png`,
							fullPage: true
						});
						await page
							.getByRole('button', { name: /导入|Import/ })
							.last()
							.click();
						await expect(page.locator('.done')).toBeVisible();
						await page.goto('/review/audit');
						await expect(page.getByTestId('audit-entry').first()).toBeVisible();
						await page.screenshot({ path: `test-results/admin/audit-${locale}-${size}.png`, fullPage: true });
					}
				);
			});
		}
	}
});
