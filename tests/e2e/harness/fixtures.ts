import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	test as base,
	expect,
	type APIRequestContext,
	type BrowserContext,
	type Page
} from '@playwright/test';
import { build } from 'vite';
import { demoPassword } from '../fixtures';
import type { DeviceHarness } from './device-page';

/**
 * The device harness (device-page.ts with the app's device code), built once per worker with Vite and
 * served by Playwright at `/__harness/` of the app's own origin: the page shares the app's cookies,
 * IndexedDB, Web Locks and same-origin rules, as the app's own pages do. Only the page and its script
 * come from Playwright; every other request goes to the real server.
 */
async function buildHarness(): Promise<string> {
	const outDir = mkdtempSync(path.join(tmpdir(), 'gridwalk-harness-'));
	try {
		await build({
			configFile: false,
			logLevel: 'warn',
			publicDir: false,
			resolve: { alias: { $lib: path.resolve('src/lib') } },
			define: { 'process.env.NODE_ENV': '"production"' },
			build: {
				outDir,
				emptyOutDir: true,
				reportCompressedSize: false,
				minify: false,
				lib: {
					entry: path.resolve('tests/e2e/harness/device-page.ts'),
					formats: ['es'],
					fileName: () => 'device-page.js'
				}
			}
		});
		return readFileSync(path.join(outDir, 'device-page.js'), 'utf8');
	} finally {
		rmSync(outDir, { recursive: true, force: true });
	}
}

const harnessHtml =
	'<!doctype html><meta charset="utf-8"><script type="module" src="/__harness/device-page.js"></script>';

/** A tab of the harness: `call` runs a `window.device` function inside it. */
export interface DeviceTab {
	page: Page;
	call<K extends keyof DeviceHarness>(
		name: K,
		...args: Parameters<DeviceHarness[K]>
	): Promise<Awaited<ReturnType<DeviceHarness[K]>>>;
	/** Errors the page logged or threw; a test expects none. */
	errors: string[];
}

export const test = base.extend<
	{
		/** Opens another tab of the harness in the test's browser context (one browser profile). */
		openTab: () => Promise<DeviceTab>;
		/** Logs the context in (the session cookie every tab of it shares). */
		logInAs: (username: string) => Promise<APIRequestContext>;
	},
	{ harnessScript: string }
>({
	harnessScript: [
		// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function asks for from its first parameter
		async ({}, use) => use(await buildHarness()),
		{ scope: 'worker', timeout: 120_000 }
	],
	openTab: async ({ context, baseURL, harnessScript }, use) => {
		await context.route(`${baseURL}/__harness/**`, (route) =>
			route.request().url().endsWith('.js')
				? route.fulfill({ contentType: 'text/javascript', body: harnessScript })
				: route.fulfill({ contentType: 'text/html', body: harnessHtml })
		);
		const tabs: DeviceTab[] = [];
		await use(async () => {
			const tab = await openTab(context, `${baseURL}/__harness/device.html`);
			tabs.push(tab);
			return tab;
		});
		for (const tab of tabs) expect(tab.errors, 'errors in a harness tab').toEqual([]);
	},
	logInAs: async ({ context }, use) => {
		await use(async (username) => {
			const response = await context.request.post('/api/auth/login', {
				data: { username, password: demoPassword }
			});
			expect(response.status(), `log in as ${username}`).toBe(200);
			return context.request;
		});
	}
});

async function openTab(context: BrowserContext, url: string): Promise<DeviceTab> {
	const tab = await context.newPage();
	const errors: string[] = [];
	tab.on('pageerror', (error) => errors.push(error.message));
	// Chromium logs every 4xx as a console error; answers are judged below instead, by what was asked.
	tab.on('console', (message) => {
		if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
			errors.push(message.text());
		}
	});
	tab.on('response', (response) => {
		const asked = response.request();
		// `HEAD /api/blobs/<sha256>` answers 404 for a photo the server does not have yet: that is its job.
		const photoUnknown =
			asked.method() === 'HEAD' && response.status() === 404 && /\/api\/blobs\//.test(asked.url());
		if (response.status() >= 400 && !photoUnknown) {
			errors.push(`${asked.method()} ${asked.url()} answered ${response.status()}`);
		}
	});
	await tab.goto(url);
	await tab.waitForFunction(() => typeof window.device === 'object');
	return {
		page: tab,
		errors,
		call: (name, ...args) =>
			tab.evaluate(([name, args]) => (window.device[name] as (...a: unknown[]) => unknown)(...args), [
				name,
				args
			] as const) as never
	};
}

export { expect };
