import { expect, screenshots, test } from './fixtures';
import {
	buildingInScope,
	buildingPicked,
	deviceRows,
	signedInAndSynced,
	screens,
	standBy,
	statusLine
} from './device';

// /feedback: what a resident said, with their name and phone only when they agree to be contacted.

interface DeviceFeedback {
	id: string;
	kind: string;
	topic: string;
	channel: string;
	text: string;
	resident: { name?: string; phone?: string; unit?: string } | null;
	consentToContact: boolean;
	compoundId: string;
	buildingId: string | null;
	receivedAt: string;
	by: string;
}

async function madeSince(page: import('@playwright/test').Page, since: string) {
	const rows = await deviceRows<DeviceFeedback>(page, 'feedback');
	return rows.filter((f) => f.receivedAt >= since);
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(120_000);

	test('a feedback with the resident’s consent and a valid phone is saved; an invalid phone is refused first', async ({
		page,
		context
	}) => {
		await signedInAndSynced(page);
		const building = await buildingInScope(page);
		await standBy(context, building);
		const since = new Date().toISOString();
		await page.getByRole('link', { name: /居民反馈/ }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('居民反馈');
		await buildingPicked(page, building);

		await page.getByRole('radio', { name: '投诉' }).check();
		await page.getByRole('radio', { name: '停车' }).check();
		await page.getByRole('radio', { name: '当面' }).check();
		await page.getByLabel('反馈内容').fill('晚上电动车堵住消防通道');
		await page.getByLabel('姓名', { exact: true }).fill('王阿姨');
		await page.getByLabel('手机号', { exact: true }).fill('12345678901');
		await page.getByLabel('单元/门牌', { exact: true }).fill('2单元301');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByText('手机号应为 11 位数字，以 13–19 开头，例如 13800138000。')).toBeVisible();
		await expect(page.getByRole('alert').filter({ hasText: '还不能保存' })).toBeVisible();

		await page.getByLabel('手机号', { exact: true }).fill('139 1234 5678');
		await page.getByRole('button', { name: '保存' }).click();
		// A name and phone need the resident's consent.
		await expect(page.getByText(/需先勾选“居民同意”/)).toBeVisible();
		expect(await madeSince(page, since)).toEqual([]);

		await page.getByRole('checkbox', { name: /居民同意留下联系方式/ }).check();
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible();
		// Nothing of the resident is echoed back on the emptied form.
		await expect(page.getByLabel('手机号', { exact: true })).toHaveValue('');
		await expect(page.getByText('13912345678')).toHaveCount(0);

		const [saved] = await madeSince(page, since);
		expect(saved).toMatchObject({
			kind: 'complaint',
			topic: 'parking',
			channel: 'in_person',
			text: '晚上电动车堵住消防通道',
			resident: { name: '王阿姨', phone: '13912345678', unit: '2单元301' },
			consentToContact: true,
			compoundId: building.compoundId,
			buildingId: building.id
		});
	});

	test('a feedback without resident data is saved with none', async ({ page, context }) => {
		await signedInAndSynced(page);
		const building = await buildingInScope(page);
		await standBy(context, building);
		const since = new Date().toISOString();
		await page.goto('/feedback');
		await buildingPicked(page, building);
		await page.getByRole('radio', { name: '建议' }).check();
		await page.getByRole('radio', { name: '绿化' }).check();
		await page.getByRole('radio', { name: '议事厅' }).check();
		await page.getByLabel('反馈内容').fill('希望在东门多种几棵树');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible();
		const [saved] = await madeSince(page, since);
		expect(saved).toMatchObject({ kind: 'suggestion', resident: null, consentToContact: false });
	});
});

test.describe('drafts', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(120_000);

	test('an unsaved feedback is offered back when the form opens again, and discard forgets it', async ({
		page
	}) => {
		await signedInAndSynced(page);
		await page.goto('/feedback');
		await page.getByRole('radio', { name: '求助' }).check();
		await page.getByLabel('反馈内容').fill('楼道灯坏了三天');
		await page.reload();
		await expect(page.getByRole('heading', { name: '继续上次没有保存的反馈吗？' })).toBeVisible();
		await page.getByRole('button', { name: '继续填写' }).click();
		await expect(page.getByLabel('反馈内容')).toHaveValue('楼道灯坏了三天');
		await expect(page.getByRole('radio', { name: '求助' })).toBeChecked();

		await page.reload();
		await page.getByRole('button', { name: '放弃' }).click();
		await expect(page.getByLabel('反馈内容')).toHaveValue('');
		await page.reload();
		await expect(page.getByLabel('反馈内容')).toBeVisible();
		await expect(page.getByRole('heading', { name: '继续上次没有保存的反馈吗？' })).toHaveCount(0);
	});
});

test.describe('in English', () => {
	test.use({ locale: 'en-GB' });
	test.setTimeout(120_000);

	test('an invalid phone is refused with the message in English', async ({ page, context }) => {
		await signedInAndSynced(page);
		const building = await buildingInScope(page);
		await standBy(context, building);
		const since = new Date().toISOString();
		await page.goto('/feedback');
		await buildingPicked(page, building);
		await page.getByRole('radio', { name: 'Request' }).check();
		await page.getByRole('radio', { name: 'Facilities' }).check();
		await page.getByRole('radio', { name: 'Hotline' }).check();
		await page.getByLabel('What the resident said').fill('The lift in unit 2 stops between floors');
		await page.getByLabel('Mobile number').fill('1380013800');
		await page.getByRole('checkbox', { name: /agrees to be contacted/ }).check();
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(
			page.getByText('A mobile number has 11 digits and starts with 13–19, e.g. 13800138000.')
		).toBeVisible();
		expect(await madeSince(page, since)).toEqual([]);
	});

	test.describe(() => {
		test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

		test('offline: the feedback is saved on this device, waits as 1 to sync, and syncs once back online', async ({
			page,
			context
		}) => {
			await signedInAndSynced(page);
			const building = await buildingInScope(page);
			await standBy(context, building);
			const since = new Date().toISOString();
			await page.getByRole('link', { name: /Resident feedback/ }).click();
			await buildingPicked(page, building);
			await context.setOffline(true);
			await expect(page.locator('.status .net')).toHaveText('Offline');

			await page.getByRole('radio', { name: 'Praise' }).check();
			await page.getByRole('radio', { name: 'Cleanliness' }).check();
			await page.getByRole('radio', { name: 'WeChat group' }).check();
			await page.getByLabel('What the resident said').fill('The cleaners did a great job this week');
			await page.getByRole('button', { name: 'Save' }).click();

			await expect(
				page.getByText('Saved on this device; it syncs by itself when there is a network.')
			).toBeVisible();
			await expect(statusLine(page)).toContainText('1 waiting to sync');
			expect(await madeSince(page, since)).toHaveLength(1);

			await context.setOffline(false);
			await expect(page.getByText('Saved and synced to the server.')).toBeVisible({ timeout: 30_000 });
			await expect(statusLine(page)).toContainText('Synced');
		});
	});
});

test.describe('screenshots', () => {
	test.setTimeout(180_000);
	test.use({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2 });

	for (const locale of ['zh-CN', 'en-GB']) {
		test.describe(locale, () => {
			test.use({ locale });
			test(
				`/feedback at 360×640 in ${locale} (test-results/feedback/)`,
				screenshots,
				async ({ page, context }) => {
					await signedInAndSynced(page);
					const building = await buildingInScope(page);
					await standBy(context, building);
					await page.goto('/feedback');
					await buildingPicked(page, building);
					const shot = (step: string) =>
						screens(page, (n) => `test-results/feedback/${locale}-${step}-${n}.png`);
					await shot('1-empty');
					await page.getByLabel(/手机号|Mobile number/).fill('123');
					await page.getByRole('button', { name: /保存|Save/ }).click();
					await shot('2-errors');
				}
			);
		});
	}
});
