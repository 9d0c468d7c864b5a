import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

/** Brand colours from src/app.css (--brand, --page). */
const themeColor = '#0f766e';
const backgroundColor = '#f3f6f8';

const pwa = SvelteKitPWA({
	// Our own worker (src/service-worker.ts), built by SvelteKit; the plugin writes the precache list into it.
	strategies: 'injectManifest',
	srcDir: 'src',
	filename: 'service-worker.ts',
	registerType: 'prompt',
	// The root layout registers it through virtual:pwa-register.
	injectRegister: false,
	injectManifest: {
		// The client build, the static files and the prerendered app shell (build/prerendered/shell.html).
		globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,woff2,webmanifest}', 'prerendered/**/*.html']
	},
	manifest: {
		id: '/',
		name: '网格行 gridwalk',
		short_name: '网格行',
		description:
			'社区物业志愿服务：巡查、上报、走访、考评，没有网络也能用。' +
			'Offline-first app for neighbourhood volunteer teams: patrol, report, visit, assess — with or without a network.',
		lang: 'zh-CN',
		dir: 'ltr',
		start_url: '/',
		scope: '/',
		display: 'standalone',
		theme_color: themeColor,
		background_color: backgroundColor,
		categories: ['productivity', 'utilities'],
		icons: [
			{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
			{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
			{ src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
		],
		shortcuts: [
			{
				name: '新问题 / New observation',
				short_name: '新问题',
				url: '/observe',
				icons: [{ src: '/icons/shortcut-observe-96.png', sizes: '96x96', type: 'image/png' }]
			},
			{
				name: '开始巡查 / Start patrol',
				short_name: '开始巡查',
				url: '/patrol',
				icons: [{ src: '/icons/shortcut-patrol-96.png', sizes: '96x96', type: 'image/png' }]
			}
		]
	}
});

export default defineConfig({
	plugins: [sveltekit(), pwa],
	define: {
		// For tile servers whose addresses are not /{z}/{x}/{y}.png: a regular expression the service worker
		// matches against a request's address to keep it in the tile cache (src/lib/client/pwa/caching.ts).
		__TILE_URL_PATTERN__: JSON.stringify(process.env.PUBLIC_TILE_URL_PATTERN ?? '')
	},
	server: { port: 3000 },
	preview: { port: 3000 },
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.spec.ts', 'tests/unit/**/*.spec.ts']
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'integration',
					environment: 'node',
					include: ['tests/integration/**/*.spec.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					// Simulated devices against the built server through a fault-injecting proxy.
					name: 'faults',
					environment: 'node',
					include: ['tests/faults/**/*.spec.ts'],
					testTimeout: 600_000,
					hookTimeout: 180_000,
					fileParallelism: false
				}
			}
		]
	}
});
