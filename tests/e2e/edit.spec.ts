import type { Page } from '@playwright/test';
import { expect, screenshots, test } from './fixtures';
import {
	buildingInScope,
	buildingPicked,
	deviceRows,
	screens,
	signedInAndSynced,
	standBy,
	statusLine,
	workerInControl
} from './device';
import { takePhoto } from './photos';
import { adminSeesPhoto, serverRecords } from './server';

// Editing my records from /mine: the form opens filled with the saved record, a save sends only what
// changed, and the server ends with the edited record, once.

/** A word only this test's records carry: the projects of one run share a server and its demo people. */
const own = () => `#${test.info().project.name}-${Date.now().toString(36)}`;

/** Opens my record that says `text` from the list, and its form for editing. */
async function editFromMine(page: Page, text: string, heading: RegExp, editLabel: string) {
	await page.goto('/mine');
	await page.locator('a.record', { hasText: text }).click();
	await page.getByRole('link', { name: editLabel, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN', expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });
	test.setTimeout(150_000);

	test('a feedback saved offline is edited before it syncs; the server has the edit', async ({
		page,
		context
	}) => {
		await signedInAndSynced(page, 'leader');
		const building = await buildingInScope(page);
		await standBy(context, building);
		await workerInControl(page);
		await context.setOffline(true);
		await page.goto('/feedback');
		await buildingPicked(page, building);
		await page.getByRole('radio', { name: '建议' }).check();
		await page.getByRole('radio', { name: '停车' }).check();
		await page.getByRole('radio', { name: '当面' }).check();
		const first = `希望增加电动车充电桩 ${own()}`;
		await page.getByLabel('反馈内容').fill(first);
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible();

		await editFromMine(page, first, /修改居民反馈/, '修改');
		await expect(page.getByLabel('反馈内容')).toHaveValue(first);
		await expect(page.getByRole('radio', { name: '建议' })).toBeChecked();
		await page.getByRole('radio', { name: '投诉' }).check();
		await page.getByLabel('反馈内容').fill('');
		await page.getByRole('button', { name: '保存修改' }).click();
		await expect(page.getByText('请填写反馈内容。')).toBeVisible();
		await page.getByLabel('反馈内容').fill('充电桩不够，电动车只能在楼道充电');
		await page.getByRole('button', { name: '保存修改' }).click();

		// Back on the record, in its new words, still on this device only.
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('投诉');
		await expect(page.getByText('充电桩不够，电动车只能在楼道充电')).toBeVisible();
		await expect(page.locator('.state')).toHaveText('已保存在本机');
		const id = (await page.locator('.id').textContent())!.trim();

		await context.setOffline(false);
		await expect(page.locator('.state')).toHaveText('已同步', { timeout: 30_000 });
		await expect(statusLine(page)).toContainText('已同步');
		const server = await serverRecords<{ kind: string; text: string }>(page.request, 'feedback');
		expect(server.get(id)).toMatchObject({ kind: 'complaint', text: '充电桩不够，电动车只能在楼道充电' });
	});

	test('a synced visit is edited; its building stays; a record that is not mine to change says so', async ({
		page,
		context
	}) => {
		await signedInAndSynced(page, 'leader');
		const building = await buildingInScope(page);
		await standBy(context, building);
		await page.goto('/visit');
		await buildingPicked(page, building);
		await page.getByRole('radio', { name: '日常走访' }).check();
		const first = `楼道堆放杂物 ${own()}`;
		await page.getByLabel('走访情况').fill(first);
		await page.getByLabel('见到的居民人数').fill('2');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByText('已保存并同步到服务器。')).toBeVisible({ timeout: 30_000 });

		await editFromMine(page, first, /修改入户走访/, '修改');
		await expect(page.getByLabel('走访情况')).toHaveValue(first);
		// The visit keeps its building: the only choice offered is the one it was made at.
		await expect(page.locator('input[name=building]')).toHaveCount(1);
		await page.getByLabel('走访情况').fill('楼道堆放杂物，已约定周六清理');
		await page.getByLabel('见到的居民人数').fill('3');
		await page.getByRole('button', { name: '保存修改' }).click();
		await expect(page.getByText('楼道堆放杂物，已约定周六清理')).toBeVisible();
		const id = (await page.locator('.id').textContent())!.trim();
		await expect(page.locator('.state')).toHaveText('已同步', { timeout: 30_000 });
		const server = await serverRecords<{ summary: string; residentsMet: number; buildingId: string }>(
			page.request,
			'visit'
		);
		expect(server.get(id)).toMatchObject({
			summary: '楼道堆放杂物，已约定周六清理',
			residentsMet: 3,
			buildingId: building.id
		});

		await page.goto('/feedback?edit=0190a000-0000-7000-8000-000000000000');
		await expect(page.getByRole('alert')).toHaveText('本机上没有这条记录，无法修改。');
		await expect(page.getByRole('button', { name: '保存修改' })).toHaveCount(0);
	});
});

test.describe('a report with photos', () => {
	test.use({ locale: 'zh-CN', expectedHttpErrors: [404] });
	test.setTimeout(150_000);

	test('is edited: severity, note and a second photo; what it is stays; the server has both photos', async ({
		page,
		context,
		request
	}) => {
		await signedInAndSynced(page, 'volunteer');
		const building = await buildingInScope(page);
		await standBy(context, building);
		await page.goto('/observe');
		await page.getByRole('button', { name: '环境卫生' }).click();
		await page.getByRole('button', { name: '垃圾桶满溢' }).click();
		await takePhoto(page, 'bin.jpg');
		await expect(page.getByRole('img', { name: '第 1 张照片' })).toBeVisible({ timeout: 20_000 });
		await buildingPicked(page, building);
		const first = `西门垃圾桶 ${own()}`;
		await page.getByLabel('补充说明（可不填）').fill(first);
		await page.getByRole('button', { name: '保存', exact: true }).click();
		await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible();
		// The form has stepped back to its start for the next report.
		await expect(page.getByRole('heading', { name: '是什么问题？' })).toBeVisible();

		await editFromMine(page, first, /修改问题/, '修改');
		// Straight to the details: what the problem is was said when it was reported.
		await expect(page.getByRole('button', { name: '环境卫生' })).toHaveCount(0);
		await expect(page.getByLabel('补充说明（可不填）')).toHaveValue(first);
		await expect(page.getByRole('img', { name: '第 1 张照片' })).toBeVisible();
		await page.getByRole('radio', { name: '严重' }).check();
		await page.getByLabel('补充说明（可不填）').fill(`${first}，已满两天`);
		await takePhoto(page, 'bin-2.jpg', { width: 1000, height: 750 });
		await expect(page.getByRole('img', { name: '第 2 张照片' })).toBeVisible({ timeout: 20_000 });
		await page.getByRole('button', { name: '保存修改' }).click();

		await expect(page.getByText(`${first}，已满两天`)).toBeVisible();
		await expect(page.getByText('2 张')).toBeVisible();
		const id = (await page.locator('.id').textContent())!.trim();
		await expect(page.locator('.state')).toHaveText('已同步', { timeout: 30_000 });
		const server = await serverRecords<{
			subtype: string;
			severity: string;
			note: string;
			photos: { sha256: string }[];
		}>(page.request, 'observation');
		const edited = server.get(id)!;
		expect(edited).toMatchObject({ subtype: 'sanitation.overflowing_bin', severity: 'high' });
		expect(edited.note).toBe(`${first}，已满两天`);
		expect(edited.photos).toHaveLength(2);
		for (const photo of edited.photos) expect(await adminSeesPhoto(request, photo.sha256)).toBe(200);
	});
});

test.describe('in English', () => {
	test.use({ locale: 'en-GB' });
	test.setTimeout(120_000);

	test('a feedback is edited from my records', async ({ page, context }) => {
		await signedInAndSynced(page, 'volunteer');
		const building = await buildingInScope(page);
		await standBy(context, building);
		await page.goto('/feedback');
		await buildingPicked(page, building);
		await page.getByRole('radio', { name: 'Request' }).check();
		await page.getByRole('radio', { name: 'Cleanliness' }).check();
		await page.getByRole('radio', { name: 'Hotline' }).check();
		const first = `Bins by gate 2 overflow ${own()}`;
		await page.getByLabel('What the resident said').fill(first);
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(page.getByRole('status').filter({ hasText: /Saved/ })).toBeVisible();

		await editFromMine(page, first, /Edit feedback/, 'Edit');
		await page.getByLabel('What the resident said').fill('Bins by gate 2 overflow every evening');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page.getByText('Bins by gate 2 overflow every evening')).toBeVisible();
		const id = (await page.locator('.id').textContent())!.trim();
		await expect(page.locator('.state')).toHaveText('Synced', { timeout: 30_000 });
		const server = await serverRecords<{ text: string }>(page.request, 'feedback');
		expect(server.get(id)?.text).toBe('Bins by gate 2 overflow every evening');
	});
});

test.describe('screenshots', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(240_000);

	test(
		'the edit forms at 360×640 and 1366×800, in Chinese and English (test-results/edit/)',
		screenshots,
		async ({ browser, page: first, context: firstContext }) => {
			await signedInAndSynced(first, 'leader');
			const building = await buildingInScope(first);
			await standBy(firstContext, building);
			await first.goto('/feedback');
			await buildingPicked(first, building);
			await first.getByRole('radio', { name: '投诉' }).check();
			await first.getByRole('radio', { name: '噪音' }).check();
			await first.getByRole('radio', { name: '当面' }).check();
			await first.getByLabel('反馈内容').fill('夜里广场舞音响太响');
			await first.getByLabel('姓名', { exact: true }).fill('李师傅');
			await first.getByRole('checkbox', { name: /居民同意留下联系方式/ }).check();
			await first.getByRole('button', { name: '保存' }).click();
			await expect(first.getByText('已保存并同步到服务器。')).toBeVisible({ timeout: 30_000 });
			const feedbackId = (await deviceRows<{ id: string; text: string }>(first, 'feedback')).find(
				(f) => f.text === '夜里广场舞音响太响'
			)!.id;

			for (const size of [
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
			]) {
				for (const locale of ['zh-CN', 'en-GB']) {
					const context = await browser.newContext({ ...size, locale });
					const page = await context.newPage();
					const errors: string[] = [];
					page.on('pageerror', (error) => errors.push(error.message));
					await signedInAndSynced(page, 'leader');
					await page.goto(`/mine/feedback/${feedbackId}`);
					await page.locator('a.edit').waitFor();
					await page.screenshot({ path: `test-results/edit/${size.name}-${locale}-record.png` });
					await page.locator('a.edit').click();
					await expect(page.locator('textarea')).toHaveValue('夜里广场舞音响太响');
					await screens(page, (n) => `test-results/edit/${size.name}-${locale}-feedback-${n}.png`);
					expect(errors).toEqual([]);
					await context.close();
				}
			}
		}
	);
});
