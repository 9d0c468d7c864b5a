import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * Runs against the built app (`npm run build`), never the dev server, in Debian's Chromium
 * (CHROMIUM_PATH or /usr/bin/chromium); Playwright's own browser only where neither exists.
 */
const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
const launchOptions = {
	executablePath: chromium,
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run'
	]
};

// E2E_PORT moves both servers, so that two checkouts on one machine can run their suites side by side.
const firstPort = Number(process.env.E2E_PORT ?? 4173);
const servers = [{ kind: 'pglite', port: firstPort }];
if (process.env.TEST_DATABASE_URL) servers.push({ kind: 'postgres', port: firstPort + 1 });

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: true,
	workers: 2,
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	timeout: 30_000,
	// Two cores shared by two browsers and two servers: an assertion may wait a little for a busy page.
	expect: { timeout: 10_000 },
	use: { trace: 'retain-on-failure', launchOptions },
	webServer: servers.map(({ kind, port }) => ({
		command: `node scripts/e2e-server.js ${kind} ${port}`,
		url: `http://127.0.0.1:${port}/api/health`,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'ignore',
		stderr: 'pipe'
	})),
	projects: servers.flatMap(({ kind, port }) => {
		const baseURL = `http://127.0.0.1:${port}`;
		const phone = { ...devices['Pixel 7'], baseURL, launchOptions };
		const laptop = {
			...devices['Desktop Chrome'],
			viewport: { width: 1366, height: 800 },
			baseURL,
			launchOptions
		};
		if (kind === 'postgres') {
			// The server's database code runs on both databases in the integration suite; end to end, PostgreSQL
			// runs the specs whose outcome the database decides: sync, cases, edits, review, the HTTP contract.
			return [
				{
					name: 'laptop-postgres',
					testMatch: /(api|device-[\w-]+|offline-restart|cases|edit|patrol|review|open311[\w-]*)\.spec\.ts/,
					grepInvert: /@screenshots|@phone/,
					use: laptop
				},
				{ name: 'phone-postgres', testMatch: /field-day\.spec\.ts/, use: phone }
			];
		}
		return [
			{
				name: `phone-${kind}`,
				// The HTTP contract and the device harness have no screen: they run in the laptop project.
				testIgnore: /(api|device-[\w-]+)\.spec\.ts/,
				// Screenshots, and behaviour that is the same at any size (@laptop), run in the laptop project.
				grepInvert: /@screenshots|@laptop/,
				use: phone
			},
			{
				name: `laptop-${kind}`,
				// Screenshots are taken here, at both sizes; @phone runs at phone size only.
				grepInvert: /@phone/,
				use: laptop
			}
		];
	})
});
