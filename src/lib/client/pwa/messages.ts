/** What the page and the service worker (src/service-worker.ts) say to each other. */

/** The page asks the waiting worker to take over; the worker never does so on its own. */
export const skipWaitingMessage = { type: 'SKIP_WAITING' } as const;

/** The Background Sync tag the page registers when its outbox has work for the network. */
export const backgroundSyncTag = 'gridwalk-sync';

/** The worker passes the browser's `sync` event on to the open pages, which own the data and sync it. */
export const syncRequest = { type: 'SYNC' } as const;

export function isSkipWaiting(data: unknown): boolean {
	return hasType(data, skipWaitingMessage.type);
}

export function isSyncRequest(data: unknown): boolean {
	return hasType(data, syncRequest.type);
}

function hasType(data: unknown, type: string): boolean {
	return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === type;
}
