import { expect, screenshots, test } from './fixtures';
import { signedInAndSynced } from './device';

// Admins issue the API keys Open311 clients post with, see each key once, and revoke them.

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(120_000);

	test('an admin issues a key that an Open311 client can post with, until the admin revokes it', async ({
		page,
		request
	}, info) => {
		// Projects share a server: each issues its own key.
		const holder = `12345 热线平台 ${info.project.name}`;
		await signedInAndSynced(page, 'admin');
		await page.getByRole('link', { name: /Open311 接口/ }).click();
		await expect(page.getByRole('heading', { name: 'Open311 接口密钥' })).toBeVisible();
		await expect(page.locator('main code').first()).toContainText('/open311/v2/');

		await page.getByRole('button', { name: '发放新密钥' }).click();
		await expect(page.getByText('请填写这把密钥发给谁。')).toBeVisible();
		await page.getByLabel('发给谁').fill(holder);
		await page.getByRole('button', { name: '发放新密钥' }).click();
		const key = (await page.getByTestId('new-key').textContent())!.trim();
		expect(key).toMatch(/^o311_/);
		const listed = page.locator('.list li').filter({ hasText: holder });
		await expect(listed).toContainText('有效');

		const report = () =>
			request.post('/open311/v2/requests.json', {
				form: { api_key: key, service_code: 'safety.light_broken', lat: '33.63', long: '116.98' }
			});
		expect((await report()).status()).toBe(200);

		page.once('dialog', (dialog) => dialog.accept());
		await listed.getByRole('button', { name: '停用' }).click();
		await expect(listed).toContainText('已停用');
		expect((await report()).status()).toBe(403);
		// Reloaded, the key itself is never shown again.
		await page.reload();
		await expect(page.locator('.list li').filter({ hasText: holder }).first()).toBeVisible();
		await expect(page.getByTestId('new-key')).toHaveCount(0);
	});

	test('someone who is not an admin has no link and is told only admins manage keys', async ({
		page,
		request
	}) => {
		await signedInAndSynced(page, 'coordinator');
		await expect(page.getByRole('link', { name: /Open311 接口/ })).toHaveCount(0);
		await page.goto('/review/open311');
		await expect(page.getByText('只有管理员可以管理接口密钥。')).toBeVisible();
		expect((await page.request.get('/api/open311/keys')).status()).toBe(403);
		expect((await request.get('/api/open311/keys')).status()).toBe(401);
	});
});

test.describe('screenshots', () => {
	test.setTimeout(120_000);
	test.use({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2 });
	for (const locale of ['zh-CN', 'en-GB']) {
		test.describe(locale, () => {
			test.use({ locale });
			test(
				`/review/open311 at 360×640 in ${locale} (test-results/open311/)`,
				screenshots,
				async ({ page }) => {
					await signedInAndSynced(page, 'admin');
					await page.goto('/review/open311');
					await page.getByLabel(/发给谁|Who it is for/).fill('FixMyStreet');
					await page.getByRole('button', { name: /发放新密钥|Issue a new key/ }).click();
					await expect(page.getByTestId('new-key')).toBeVisible();
					await page.screenshot({ path: `test-results/open311/${locale}.png`, fullPage: true });
				}
			);
		});
	}
});
