import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { deviceRows, signedInAndSynced } from './device';
import { expect, screenshots, test } from './fixtures';

// /review/checklists: a coordinator adds an item to a checklist and saves it as version 2. A patrol begun
// on version 1 keeps its items; a patrol begun after the save has the new item.

interface DeviceTemplate {
	id: string;
	version: number;
	items: { key: string }[];
}

/** Starts a patrol of the checklist at the first compound the person may patrol. */
async function startPatrol(page: Page, title: string, firstItem: string) {
	await page.getByRole('radio', { name: new RegExp(title) }).check();
	await page.locator('input[name=compound]').first().check();
	await page.getByRole('button', { name: '开始巡查', exact: true }).click();
	await expect(page.getByRole('heading', { name: firstItem })).toBeVisible();
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(120_000);

	test('a coordinator adds an item; a patrol begun before keeps the old items, a new patrol has it @laptop', async ({
		page,
		browser
	}, info) => {
		// The admin walks the patrols: other specs leave the volunteer's and the leader's patrols in progress.
		const title = `楼道巡查 ${info.project.name} ${Date.now()}`;
		await signedInAndSynced(page, 'coordinator');
		const made = await page.request.post('/api/checklists', {
			data: {
				title: { zh: title, en: `Stairwell walk ${Date.now()}` },
				items: [
					{
						key: 'lights_on',
						label: { zh: '楼道灯正常', en: 'Stairwell lights work' },
						type: 'yes_no',
						required: false,
						failWhen: false,
						spawns: 'safety.light_broken'
					}
				]
			}
		});
		expect(made.status()).toBe(201);
		const { id } = (await made.json()) as { id: string };

		const walker = await browser.newContext({ locale: 'zh-CN', viewport: { width: 412, height: 915 } });
		const field = await walker.newPage();
		await signedInAndSynced(field, 'admin');
		await field.goto('/patrol');
		await startPatrol(field, title, '楼道灯正常');

		// The coordinator adds an item; saving it blank names the missing labels first.
		await page.getByRole('link', { name: /巡查清单/ }).click();
		await expect(page.getByRole('heading', { name: '巡查清单模板' })).toBeVisible();
		await page.getByRole('button', { name: `编辑 ${title}` }).click();
		await page.getByRole('button', { name: '添加检查项' }).click();
		const added = page.getByRole('group', { name: '第 2 项' });
		await page.getByRole('button', { name: '保存为新版本' }).click();
		await expect(page.getByText('请先改正标出的 2 处问题。')).toBeVisible();
		await expect(added.getByText('请填写这一栏。')).toHaveCount(2);
		const { violations } = await new AxeBuilder({ page }).analyze();
		expect(
			violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
			'axe on the editor'
		).toEqual([]);
		await added.getByLabel('名称（中文）').fill('垃圾桶满溢');
		await added.getByLabel('名称（英文）').fill('Bins overflowing');
		await added.getByLabel('什么回答算不合格').selectOption({ label: '回答“是”时' });
		await added.getByLabel('不合格时上报的问题').selectOption({ label: '垃圾桶满溢' });
		await page.getByRole('button', { name: '保存为新版本' }).click();
		await expect(page.getByRole('status').filter({ hasText: `已保存：“${title}”第 2 版。` })).toBeVisible();
		const listed = page.locator('.list > ul > li').filter({ hasText: title });
		await expect(listed).toContainText('第 2 版 · 2 项');

		// The walker's device pulls version 2 beside version 1.
		await field.reload();
		await expect
			.poll(async () =>
				(await deviceRows<DeviceTemplate>(field, 'checklistTemplate'))
					.filter((t) => t.id === id)
					.map((t) => `${t.version}:${t.items.length}`)
					.sort()
			)
			.toEqual(['1:1', '2:2']);

		// The patrol begun on version 1 still has one item, and is finished as it was.
		await field.getByRole('button', { name: '继续巡查' }).click();
		await expect(field.getByRole('heading', { name: '楼道灯正常' })).toBeVisible();
		await field.getByRole('button', { name: '检查并完成' }).click();
		await expect(field.locator('.answers li')).toHaveCount(1);
		await field.getByRole('button', { name: '完成巡查' }).click();
		await expect(field.getByText(/巡查已提交/)).toBeVisible();

		// A new patrol takes version 2: the added item comes second.
		await field.goto('/patrol');
		await startPatrol(field, title, '楼道灯正常');
		await field.getByRole('button', { name: '下一项' }).click();
		await expect(field.getByRole('heading', { name: '垃圾桶满溢' })).toBeVisible();
		await field.getByRole('radio', { name: '否', exact: true }).check();
		await field.getByRole('button', { name: '检查并完成' }).click();
		await expect(field.locator('.answers li')).toHaveCount(2);
		await field.getByRole('button', { name: '完成巡查' }).click();
		await expect(field.getByText(/巡查已提交/)).toBeVisible();
		const mine = await deviceRows<{ templateId: string; templateVersion: number; status: string }>(
			field,
			'patrol'
		);
		expect(
			mine
				.filter((p) => p.templateId === id)
				.map((p) => `${p.templateVersion}:${p.status}`)
				.sort()
		).toEqual(['1:submitted', '2:submitted']);
		await walker.close();
	});
});

test.describe('screenshots', () => {
	test.setTimeout(120_000);
	for (const locale of ['zh-CN', 'en-GB']) {
		for (const [width, height] of [
			[360, 640],
			[1366, 800]
		]) {
			test.describe(`${locale} ${width}`, () => {
				test.use({ locale, viewport: { width, height } });
				test(
					`/review/checklists at ${width}×${height} in ${locale} (test-results/checklists/)`,
					screenshots,
					async ({ page }) => {
						await signedInAndSynced(page, 'coordinator');
						await page.goto('/review/checklists');
						await page
							.getByRole('button', { name: /^(编辑|Edit) (夜间停车巡查|Evening parking patrol)$/ })
							.click();
						await page
							.locator('details')
							.first()
							.evaluate((d) => ((d as HTMLDetailsElement).open = true));
						await page.getByRole('button', { name: /添加检查项|Add an item/ }).click();
						await page.getByRole('button', { name: /保存为新版本|Save as a new version/ }).click();
						await page.screenshot({
							path: `test-results/checklists/${locale}-${width}.png`,
							fullPage: true
						});
					}
				);
			});
		}
	}
});
