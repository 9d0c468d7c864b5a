import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { signedInAndSynced } from './device';

// axe-core on every field route, in both languages: no serious or critical violation. It runs at the
// phone size the routes are designed for (@phone: the phone projects only).

interface FieldRoute {
	path: string;
	/** Who opens it: the route as the person it is for sees it. */
	username: string;
	/** Steps into the route's inner states, each checked too. */
	states?: { name: string; enter: (page: Page) => Promise<void> }[];
}

const fieldRoutes: FieldRoute[] = [
	{ path: '/', username: 'leader' },
	{
		path: '/observe',
		username: 'volunteer',
		states: [
			{
				name: 'subtype',
				enter: async (page) => page.locator('.choices button').first().click()
			},
			{
				name: 'details',
				enter: async (page) => page.locator('.choices button').first().click()
			}
		]
	},
	{ path: '/patrol', username: 'volunteer' },
	{ path: '/cases', username: 'leader' },
	{ path: '/feedback', username: 'leader' },
	{ path: '/visit', username: 'leader' },
	// A volunteer is told that visits are for grid leaders: that page too.
	{ path: '/visit', username: 'volunteer' },
	{ path: '/mine', username: 'volunteer' },
	{ path: '/settings', username: 'volunteer' }
];

async function seriousViolations(page: Page) {
	const { violations } = await new AxeBuilder({ page }).analyze();
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const people = [...new Set(fieldRoutes.map((route) => route.username))];

for (const language of [
	{ locale: 'zh-CN', lang: 'zh-CN' },
	{ locale: 'en-GB', lang: 'en' }
]) {
	test.describe(`accessibility in ${language.locale}`, { tag: '@phone' }, () => {
		test.use({ locale: language.locale });
		test.setTimeout(120_000);

		for (const username of people) {
			const routes = fieldRoutes.filter((route) => route.username === username);
			test(`${routes.map((r) => r.path).join(', ')} for ${username}: no serious or critical axe violation`, async ({
				page
			}) => {
				await signedInAndSynced(page, username);
				for (const route of routes) {
					await page.goto(route.path);
					await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
					await expect(page.locator('h1, h2').first()).toBeVisible();
					expect(await seriousViolations(page), `${route.path} on opening`).toEqual([]);
					for (const state of route.states ?? []) {
						await state.enter(page);
						await page.waitForTimeout(200);
						expect(await seriousViolations(page), `${route.path} at ${state.name}`).toEqual([]);
					}
				}
			});
		}
	});
}
