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
		csrf: { trustedOrigins: [] }
	}
};

export default config;
