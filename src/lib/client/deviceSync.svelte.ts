import { liveQuery } from 'dexie';
import { getContext, setContext } from 'svelte';
import { deviceDb } from './device';
import { backgroundSyncTag, isSyncRequest } from './pwa/messages';
import { SyncRunner } from './sync/runner';
import { SyncStatus } from './sync/status.svelte';

/** The page's one sync runner and the status it reports, for every signed-in page. */
export interface DeviceSync {
	runner: SyncRunner;
	status: SyncStatus;
}

const key = Symbol('device sync');
let running: DeviceSync | null = null;
let stopWatchingOtherTabs: (() => void) | null = null;

/**
 * Starts syncing this device (once per page; the runners of other tabs take turns through Web Locks)
 * and shares it with the components below. Call from the signed-in layout.
 */
export function provideDeviceSync(): DeviceSync {
	running ??= start();
	return setContext(key, running);
}

export function deviceSync(): DeviceSync {
	return getContext<DeviceSync>(key);
}

/**
 * Stops this page's syncing (logging out): nothing new starts, and a sync under way finishes before
 * the session ends, so no request goes out without one. Signing in again starts afresh.
 */
export async function stopDeviceSync(): Promise<void> {
	const stopping = running;
	running = null;
	stopWatchingOtherTabs?.();
	stopWatchingOtherTabs = null;
	if (!stopping) return;
	stopping.runner.stop();
	await stopping.runner.settled();
}

function start(): DeviceSync {
	const db = deviceDb();
	const status = new SyncStatus();
	const runner = new SyncRunner({ db, status });
	void runner.refreshStatus();
	void runner.start();
	navigator.serviceWorker?.addEventListener('message', (event) => {
		if (isSyncRequest(event.data)) void runner.sync();
	});
	// Saved while offline: where the browser has Background Sync, it wakes the app when the network is back.
	db.events.on('outbox:changed', ({ cause }) => {
		if (cause === 'recorded' && !navigator.onLine) void registerBackgroundSync();
	});
	stopWatchingOtherTabs = watchOtherTabs(db, runner);
	return { runner, status };
}

/**
 * Another tab of the app writes to the same device database (a report saved there, a sync it ran):
 * Dexie's liveQuery hears those writes across tabs, so this tab's status bar counts them too.
 */
function watchOtherTabs(db: ReturnType<typeof deviceDb>, runner: SyncRunner): () => void {
	const subscription = liveQuery(() =>
		Promise.all([db.outbox.count(), db.rejected.count(), db.meta.get('lastSyncAt')])
	).subscribe({ next: () => void runner.refreshStatus(), error: () => {} });
	return () => subscription.unsubscribe();
}

async function registerBackgroundSync(): Promise<void> {
	try {
		const registration = await navigator.serviceWorker?.ready;
		const sync = (registration as { sync?: { register(tag: string): Promise<void> } } | undefined)?.sync;
		await sync?.register(backgroundSyncTag);
	} catch {
		// No Background Sync here: the runner syncs on `online` and when the app is opened.
	}
}
