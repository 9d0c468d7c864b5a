import type { DeviceDb } from './db';

/**
 * Persistent storage: without it the browser may clear the device database when space runs short,
 * unsynced records included. The app asks once, after the first record is saved (when the person has
 * something to lose and the browser can tell the app is in use), and the settings page asks again on request.
 */

/** The parts of `navigator.storage` the app uses; null on old browsers and insecure origins. */
export type StorageApi = Pick<StorageManager, 'estimate' | 'persist' | 'persisted'>;
/** Where the device remembers that it asked (localStorage in the page). */
export type Memory = Pick<Storage, 'getItem' | 'setItem'>;

/** The browser's answer to a request for persistent storage, and when it was given. */
export interface PersistenceAnswer {
	granted: boolean;
	at: string;
}

const answerKey = 'gridwalk.persistence';

/** Less room than this, or less than `lowShare` of the quota, and the settings page warns. */
export const lowBytes = 50 * 1024 * 1024;
export const lowShare = 0.15;

export interface StorageFigures {
	usage: number;
	quota: number;
	/** Bytes left before the browser refuses writes. */
	available: number;
	low: boolean;
}

/** Used, left and whether that is too little, from `navigator.storage.estimate()`; null when unknown. */
export function storageFigures(estimate: StorageEstimate): StorageFigures | null {
	const { usage, quota } = estimate;
	if (usage === undefined || !quota) return null;
	const available = Math.max(0, quota - usage);
	return { usage, quota, available, low: available < lowBytes || available / quota < lowShare };
}

/** The answer the device got when it last asked, or null when it never asked. */
export function rememberedAnswer(memory: Memory = localStorage): PersistenceAnswer | null {
	try {
		const saved = memory.getItem(answerKey);
		return saved ? (JSON.parse(saved) as PersistenceAnswer) : null;
	} catch {
		return null;
	}
}

/** Asks the browser to keep the device's data, and remembers the answer. False where it cannot be asked. */
export async function requestPersistence(
	storage: StorageApi | null = navigator.storage ?? null,
	memory: Memory = localStorage,
	now = new Date()
): Promise<boolean> {
	let granted = false;
	try {
		granted = (await storage?.persist?.()) ?? false;
	} catch {
		// Refused outright (e.g. in a frame): the same as a "no".
	}
	memory.setItem(answerKey, JSON.stringify({ granted, at: now.toISOString() } satisfies PersistenceAnswer));
	return granted;
}

/** Whether to ask now: never twice on one device, and not when the storage is already persistent. */
export function shouldAsk(asked: PersistenceAnswer | null, persisted: boolean): boolean {
	return asked === null && !persisted;
}

/**
 * After the first record this device saves, asks once for persistent storage. Returns the function
 * that stops listening.
 */
export function askPersistenceOnce(
	db: DeviceDb,
	storage: StorageApi | null = navigator.storage ?? null,
	memory: Memory = localStorage
): () => void {
	if (rememberedAnswer(memory) || !storage?.persist) return () => undefined;
	let asking = false;
	const stop = db.events.on('outbox:changed', ({ cause }) => {
		if (cause !== 'recorded' || asking) return;
		asking = true;
		stop();
		void (async () => {
			const persisted = await storage.persisted().catch(() => false);
			if (shouldAsk(rememberedAnswer(memory), persisted)) await requestPersistence(storage, memory);
		})();
	});
	return stop;
}

export interface StorageState {
	figures: StorageFigures | null;
	/** Null where the browser cannot tell. */
	persisted: boolean | null;
}

/** What the settings page shows about the device's storage. */
export async function storageState(
	storage: StorageApi | null = navigator.storage ?? null
): Promise<StorageState> {
	if (!storage) return { figures: null, persisted: null };
	const [estimate, persisted] = await Promise.all([
		storage.estimate().catch((): StorageEstimate => ({})),
		storage.persisted().catch(() => null)
	]);
	return { figures: storageFigures(estimate), persisted };
}
