/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';
import { updatesHeld } from './unsavedForms.svelte';

/** A field app stays open for days: look for a new version this often as well as on each full load. */
const updateCheckMs = 60 * 60_000;

/**
 * The page's side of the service worker (src/service-worker.ts), through workbox-window: registers it,
 * says when the app works offline and when a new version waits, and activates that version only when
 * the person asks and no form holds unsaved input.
 */
class ServiceWorkerUpdates {
	#updateReady = $state(false);
	#offlineReady = $state(false);
	#registration: ServiceWorkerRegistration | undefined;
	#skipWaiting: (() => Promise<void>) | null = null;

	/** A new version is installed and waits for `applyUpdate()`. */
	get updateReady(): boolean {
		return this.#updateReady;
	}

	/** The app's files are on the device: it opens with no network from now on. */
	get offlineReady(): boolean {
		return this.#offlineReady;
	}

	/** Registers the worker once, in the browser. */
	start(): void {
		if (this.#skipWaiting || !('serviceWorker' in navigator)) return;
		let controlled = navigator.serviceWorker.controller !== null;
		navigator.serviceWorker.addEventListener('controllerchange', () => {
			// The first install takes the page (clientsClaim): nothing changed for the person.
			if (!controlled) {
				controlled = true;
				return;
			}
			// A new version took over, from this tab or another: reload, unless a form would lose its input.
			if (updatesHeld()) this.#updateReady = true;
			else location.reload();
		});
		this.#skipWaiting = registerSW({
			immediate: true,
			onNeedRefresh: () => (this.#updateReady = true),
			onOfflineReady: () => (this.#offlineReady = true),
			// Reloads are decided on `controllerchange` above, which also sees a page loaded before the first install.
			onNeedReload: () => undefined,
			onRegisteredSW: (_url, registration) => {
				this.#registration = registration;
				setInterval(() => void this.checkForUpdate(), updateCheckMs);
			},
			onRegisterError: (error) => console.warn('service worker not registered', error)
		});
	}

	/** Asks the server for a new version now (the browser also does on each full page load). */
	async checkForUpdate(): Promise<void> {
		if (!navigator.onLine) return;
		await this.#registration?.update().catch(() => undefined);
	}

	/**
	 * Activates the waiting version; the page reloads once it has taken control. Refused while a form holds
	 * updates. When another tab already activated it, a reload is all that is left.
	 */
	async applyUpdate(): Promise<void> {
		if (!this.#updateReady || updatesHeld()) return;
		if (this.#registration?.waiting && this.#skipWaiting) await this.#skipWaiting();
		else location.reload();
	}
}

export const serviceWorker = new ServiceWorkerUpdates();
