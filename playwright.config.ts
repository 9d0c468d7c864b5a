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

/** The HTTP contract and the device harness: no screen, they run once per database. */
const contract = /(api|device-[\w-]+)\.spec\.ts/;

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
			// runs the HTTP contract, the device harness, the review's SQL, the case desk from triage to the assessment,
			// Open311 and the field day's whole sync.
			return [
				{
					name: 'laptop-postgres',
					testMatch: /(api|device-[\w-]+|review(-cases)?|open311[\w-]*)\.spec\.ts/,
					grepInvert: /@screenshots|@phone/,
					use: laptop
				},
				{ name: 'phone-postgres', testMatch: /field-day\.spec\.ts/, use: phone }
			];
		}
		return [
			{
				name: `phone-${kind}`,
				// Every behaviour at the size the app is designed for; the contract and the harness have no screen.
				testIgnore: contract,
				grepInvert: /@screenshots|@laptop/,
				use: phone
			},
			{
				// At laptop size: what is the laptop's own (@laptop: the map, the coordinators' lists).
				name: `laptop-${kind}`,
				testIgnore: contract,
				grep: /@laptop/,
				use: laptop
			},
			{ name: `contract-${kind}`, testMatch: contract, use: laptop },
			// `npm run screenshots`: pictures of every page at 360×640 and 1366×800 in both languages, to look at
			// (test-results/<page>/); they check no behaviour the other projects do not, so `npm test` leaves them.
			...(process.env.SCREENSHOTS
				? [{ name: `screenshots-${kind}`, testIgnore: contract, grep: /@screenshots/, use: laptop }]
				: [])
		];
	})
});
