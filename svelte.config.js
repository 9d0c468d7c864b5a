import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// Our own Workbox worker, built by @vite-pwa/sveltekit (vite.config.ts) and registered by the page
		// through workbox-window, so the update waits for the person (DESIGN.md §1).
		files: { serviceWorker: 'src/service-worker.ts' },
		serviceWorker: { register: false },
		// The worker answers every navigation with the /shell page: its asset paths must not depend on the
		// depth of the address it is shown at (/review/audit would otherwise look for /review/_app/…).
		paths: { relative: false },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:', 'https:'],
				'connect-src': ['self'],
				'font-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		// SvelteKit's own check refuses every cross-site form post, Open311's too (its clients post forms from
		// other sites, with an api_key). The app's crossSiteGuard hook (hooks.server.ts) does the same check
		// for every state-changing request, JSON included, and leaves out only /open311/.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
