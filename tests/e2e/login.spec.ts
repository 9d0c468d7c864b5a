import { demoPassword, expect, logIn, test } from './fixtures';

const roles = [
	{ username: 'admin', zh: '管理员', en: 'Administrator', sees: '审计日志', seesEn: 'Audit log' },
	{
		username: 'coordinator',
		zh: '协调员',
		en: 'Coordinator',
		sees: '月度考评',
		seesEn: 'Monthly assessment'
	},
	{ username: 'leader', zh: '网格长', en: 'Grid leader', sees: '入户走访', seesEn: 'Household visit' },
	{ username: 'volunteer', zh: '志愿者', en: 'Volunteer', sees: '上报问题', seesEn: 'Report a problem' }
];

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });

	for (const role of roles) {
		test(`${role.username} logs in and sees their home page`, async ({ page }) => {
			await logIn(page, role.username);
			await expect(page).toHaveURL(/\/$/);
			await expect(page.getByRole('heading', { level: 1 })).toContainText('您好');
			await expect(page.locator('.role')).toHaveText(role.zh);
			await expect(page.getByText(`@${role.username}`)).toBeVisible();
			await expect(page.getByText(role.sees)).toBeVisible();
			await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		});
	}

	test('a volunteer is not offered the coordinator pages', async ({ page }) => {
		await logIn(page, 'volunteer');
		await expect(page.locator('.role')).toHaveText('志愿者');
		await expect(page.getByText('月度考评')).toHaveCount(0);
		await expect(page.getByText('入户走访')).toHaveCount(0);
	});

	test.describe(() => {
		test.use({ expectedHttpErrors: [401] });

		test('a wrong password shows a clear message in Chinese and keeps the person on /login', async ({
			page
		}) => {
			await logIn(page, 'coordinator', 'not-the-password');
			await expect(page.getByRole('alert')).toHaveText('用户名或密码不正确。');
			await expect(page).toHaveURL(/\/login$/);
			await expect(page.locator('input[name=password]')).toHaveValue('');
		});
	});

	test('an empty form is refused before it is sent', async ({ page }) => {
		await page.goto('/login');
		await page.getByRole('button', { name: '登录' }).click();
		await expect(page.getByRole('alert')).toHaveText('请输入用户名和密码。');
	});

	test('a page that needs a login sends the person to /login and back after it', async ({ page }) => {
		await page.goto('/?from=link');
		await expect(page).toHaveURL(/\/login\?next=/);
		await page.locator('input[name=username]').fill('leader');
		await page.locator('input[name=password]').fill(demoPassword);
		await page.getByRole('button', { name: '登录' }).click();
		await expect(page).toHaveURL(/\/\?from=link$/);
	});

	test('logging out ends the session on the server', async ({ page }) => {
		await logIn(page, 'volunteer');
		await expect(page.locator('.role')).toBeVisible();
		await page.getByRole('button', { name: '退出登录' }).click();
		await expect(page).toHaveURL(/\/login/);
		const me = await page.request.get('/api/auth/me');
		expect(me.status()).toBe(401);
	});
});

test.describe('in English', () => {
	test.use({ locale: 'en-GB' });

	for (const role of roles) {
		test(`${role.username} logs in and sees their home page in English`, async ({ page }) => {
			await logIn(page, role.username);
			await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
			await expect(page.locator('.role')).toHaveText(role.en);
			await expect(page.getByText(role.seesEn)).toBeVisible();
			await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		});
	}

	test.describe(() => {
		test.use({ expectedHttpErrors: [401] });

		test('a wrong password shows a clear message in English', async ({ page }) => {
			await logIn(page, 'leader', 'wrong-password');
			await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
		});
	});

	test('the language switch changes the page to Chinese and remembers it', async ({ page }) => {
		await page.goto('/login');
		await expect(page.getByRole('heading', { level: 2 })).toHaveText('Log in');
		// The page is rendered before its script runs: a click before that is lost, and is made again.
		await expect(async () => {
			await page.getByRole('button', { name: '中文' }).click();
			await expect(page.getByRole('heading', { level: 2 })).toHaveText('登录', { timeout: 2_000 });
		}).toPass({ timeout: 15_000 });
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await page.reload();
		await expect(page.getByRole('heading', { level: 2 })).toHaveText('登录');
	});
});
