import { test as base, expect, type Page } from '@playwright/test';

export const demoPassword = process.env.E2E_DEMO_PASSWORD ?? 'demo-password-e2e';

/** Every page test also fails on a console error or an uncaught exception in the page. */
export const test = base.extend<{ consoleErrors: string[] }>({
	consoleErrors: [
		async ({ page }, use) => {
			const errors: string[] = [];
			page.on('console', (message) => {
				if (message.type() === 'error') errors.push(message.text());
			});
			page.on('pageerror', (error) => errors.push(error.message));
			await use(errors);
			expect(errors, 'console errors on the page').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };

export async function logIn(page: Page, username: string, password = demoPassword) {
	await page.goto('/login');
	await page.getByRole('textbox', { name: /用户名|Username/ }).fill(username);
	await page.getByLabel(/^(密码|Password)$/).fill(password);
	await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
}
