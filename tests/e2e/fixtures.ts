import { test as base, expect, type Page } from '@playwright/test';

export const demoPassword = process.env.E2E_DEMO_PASSWORD ?? 'demo-password-e2e';

/** Every page test also fails on a console error or an uncaught exception in the page. */
export const test = base.extend<{
	consoleErrors: string[];
	expectedHttpErrors: number[];
	expectedConsoleErrors: RegExp | null;
}>({
	/** Statuses a test provokes on purpose (a wrong password is a 401): Chromium logs them as errors. */
	expectedHttpErrors: [[], { option: true }],
	/** A pattern of other errors a test provokes on purpose, e.g. requests failing while the device is offline. */
	expectedConsoleErrors: [null, { option: true }],
	consoleErrors: [
		async ({ page, expectedHttpErrors, expectedConsoleErrors }, use) => {
			const errors: string[] = [];
			const expected = expectedHttpErrors.map((status) => `the server responded with a status of ${status} `);
			page.on('console', (message) => {
				const text = message.text();
				if (message.type() !== 'error' || expected.some((e) => text.includes(e))) return;
				if (!expectedConsoleErrors?.test(text)) errors.push(text);
			});
			page.on('pageerror', (error) => errors.push(error.message));
			await use(errors);
			expect(errors, 'console errors on the page').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };

/**
 * Screenshot tests look, they do not check: `npm run screenshots` runs them once, on PGlite (see
 * playwright.config.ts), and they take their phone- and laptop-sized pictures themselves.
 */
export const screenshots = { tag: '@screenshots' };

export async function logIn(page: Page, username: string, password = demoPassword) {
	await page.goto('/login');
	await page.locator('input[name=username]').fill(username);
	await page.locator('input[name=password]').fill(password);
	await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
}
