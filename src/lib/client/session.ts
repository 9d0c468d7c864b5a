import { redirect } from '@sveltejs/kit';
import { goto } from '$app/navigation';
import type { Person } from '$lib/domain';
import { pickLocale, type Locale } from '$lib/i18n';
import { deviceDb } from './device';
import { stopDeviceSync } from './deviceSync.svelte';
import { rememberActor } from './identity';

/** What every signed-in page knows: who, in which language, and whether the server confirmed it just now. */
export interface DeviceSession {
	user: Person;
	locale: Locale;
	/** False when the server could not be asked (offline, or no answer in time): the device's copy is used. */
	confirmed: boolean;
	/**
	 * True when another person had been signed in on this device, whose rows were cleared just now: what a
	 * page read from the device before this load finished was theirs.
	 */
	deviceCleared: boolean;
}

const storageKey = 'gridwalk.person';
/** In a stairwell a request can hang for long; the page opens from the device's copy after this. */
const askTimeoutMs = 3000;

/** The language chosen on this device (the `lang` cookie the switch sets), else the browser's. */
export function deviceLocale(): Locale {
	const saved = document.cookie.match(/(?:^|;\s*)lang=([^;]+)/)?.[1];
	return pickLocale(saved, navigator.languages.join(','));
}

function loginPath(url: URL): string {
	return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

export function rememberedPerson(): Person | null {
	try {
		const saved = localStorage.getItem(storageKey);
		return saved ? (JSON.parse(saved) as Person) : null;
	} catch {
		return null;
	}
}

/** Forgets who was signed in (logout): the next person must sign in online. Saved work stays on the device. */
export function forgetPerson(): void {
	localStorage.removeItem(storageKey);
}

/**
 * Logs out: syncing stops first (so no request goes out once the session is gone), the server ends the
 * session (offline it lapses by itself), the device forgets the person. Saved work stays on the device
 * and syncs when the person logs in again.
 */
export async function logOut(): Promise<void> {
	await stopDeviceSync();
	await fetch('/api/auth/logout', { method: 'POST' }).catch(() => null);
	forgetPerson();
	await goto('/login');
}

/**
 * Who is signed in, for pages that must open with no network (DESIGN.md §4, issue: sessions offline).
 * Online, the server says (and the answer is kept on the device); a 401 sends the person to log in,
 * their outbox waiting on the device. Offline or without an answer in time, the device's copy is used.
 */
export async function loadDeviceSession(fetch: typeof globalThis.fetch, url: URL): Promise<DeviceSession> {
	const locale = deviceLocale();
	let response: Response | null = null;
	try {
		response = await fetch('/api/auth/me', { signal: AbortSignal.timeout(askTimeoutMs) });
	} catch {
		// offline, or no answer in time
	}
	if (response?.status === 401) {
		forgetPerson();
		redirect(307, loginPath(url));
	}
	if (response?.ok) {
		const user = (await response.json()) as Person;
		localStorage.setItem(storageKey, JSON.stringify(user));
		const deviceCleared = await rememberActor(deviceDb(), user);
		return { user, locale, confirmed: true, deviceCleared };
	}
	const user = rememberedPerson();
	if (!user) redirect(307, loginPath(url));
	return { user, locale, confirmed: false, deviceCleared: false };
}
