import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'vite';
import { adminPassword, type Site } from './gridwalk';
import { progress, tempDir, type Cleanup } from './support';

// The bench's Chromium and its pages: a bundle of bench/browser/<name>.ts with the app's device code,
// served under the built app's origin so that it reaches the server and IndexedDB as the app does.

export type BenchPageName = 'pull-page' | 'field-page';

/** The page bundle (bench/browser/<name>.ts with the app's device code), built with Vite. */
export async function buildBenchPage(cleanup: Cleanup, name: BenchPageName): Promise<Buffer> {
	progress(`building the bench page ${name} (Vite)`);
	const outDir = tempDir(cleanup, 'page');
	await build({
		configFile: false,
		logLevel: 'warn',
		publicDir: false,
		resolve: {
			alias: {
				$lib: path.resolve('src/lib'),
				// pouchdb-browser imports Node's `events`; the bundle gets a small stand-in.
				events: path.resolve('bench/browser/events.ts')
			}
		},
		define: { 'process.env.NODE_ENV': '"production"' },
		build: {
			outDir,
			emptyOutDir: true,
			reportCompressedSize: false,
			// Readable names in a page error's stack; the size does not matter here.
			minify: false,
			lib: {
				entry: path.resolve(`bench/browser/${name}.ts`),
				formats: ['es'],
				fileName: () => `${name}.js`
			}
		}
	});
	return readFileSync(path.join(outDir, `${name}.js`));
}

export async function launchChromium(
	cleanup: Cleanup,
	options: { viewport?: { width: number; height: number }; deviceScaleFactor?: number } = {}
): Promise<BrowserContext> {
	const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
	// A profile on disk: a context without one keeps IndexedDB in memory, which no phone does.
	const profile = tempDir(cleanup, 'chromium');
	const context = await chromium.launchPersistentContext(profile, {
		executablePath,
		headless: true,
		...options,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run'
		]
	});
	cleanup.add('close Chromium', () => context.close());
	return context;
}

/** Logs the browser in to the site as `username` (every demo account has the bench's password). */
export async function signIn(context: BrowserContext, site: Site, username = 'admin'): Promise<void> {
	const login = await context.request.post(`${site.url}/api/auth/login`, {
		data: { username, password: adminPassword }
	});
	if (!login.ok()) throw new Error(`browser login as ${username} failed: ${login.status()}`);
}

/**
 * A page at `/__bench/<name>.html` of the site's origin, signed in as `username`; `ready` is the global
 * its script sets. Playwright serves the page and
 * its script, then stops intercepting, so the timed requests go straight to the server.
 */
export async function openBenchPage(
	context: BrowserContext,
	site: Site,
	script: Buffer,
	name: BenchPageName,
	ready: string,
	username = 'admin'
): Promise<Page> {
	await signIn(context, site, username);
	await context.route(`${site.url}/__bench/**`, (route) =>
		route.request().url().endsWith('.js')
			? route.fulfill({ contentType: 'text/javascript', body: script })
			: route.fulfill({
					contentType: 'text/html',
					body: `<!doctype html><meta charset="utf-8"><script type="module" src="/__bench/${name}.js"></script>`
				})
	);
	// Chromium asks before a page reaches a loopback address of another origin (the PouchDB peer).
	await context.grantPermissions(['local-network-access'], { origin: site.url });
	const page = await context.newPage();
	page.on('pageerror', (error) => progress(`page error: ${error.message}`));
	await page.goto(`${site.url}/__bench/${name}.html`);
	await page.waitForFunction((ready) => ready in window, ready);
	await context.unrouteAll({ behavior: 'wait' });
	return page;
}
