import { getContext, setContext } from 'svelte';
import { deviceDb } from './device';
import { askPersistenceOnce } from './storage';
import { SyncRunner } from './sync/runner';
import { SyncStatus } from './sync/status.svelte';

/** The page's one sync runner and the status it reports, for every signed-in page. */
export interface DeviceSync {
	runner: SyncRunner;
	status: SyncStatus;
}

const key = Symbol('device sync');
let running: DeviceSync | null = null;

/** The tag the page registers for Background Sync; the service worker forwards its `sync` event as a message. */
export const backgroundSyncTag = 'gridwalk-sync';

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

function start(): DeviceSync {
	const db = deviceDb();
	const status = new SyncStatus();
	const runner = new SyncRunner({ db, status });
	void runner.refreshStatus();
	void runner.start();
	askPersistenceOnce(db);
	navigator.serviceWorker?.addEventListener('message', (event) => {
		if (event.data?.type === 'SYNC') void runner.sync();
	});
	// Saved while offline: where the browser has Background Sync, it wakes the app when the network is back.
	db.events.on('outbox:changed', ({ cause }) => {
		if (cause === 'recorded' && !navigator.onLine) void registerBackgroundSync();
	});
	return { runner, status };
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
