import type { RejectedEntry } from '../db';
import type { SyncError } from './events';

export interface SyncProgress {
	phase: 'push' | 'pull';
	done: number;
	/** Unknown while pulling: the server says only whether more pages follow. */
	total: number | null;
}

/** Everything a person may want to know about sync, as one plain object. */
export interface SyncSnapshot {
	/** The server answered the last request (or the browser says it is online, before any request). */
	online: boolean;
	syncing: boolean;
	/** Changes saved on this device that the server has not acknowledged. */
	pendingCount: number;
	/** Photo bytes still to upload for those changes. */
	bytesLeft: number;
	progress: SyncProgress | null;
	lastSuccessAt: string | null;
	lastError: SyncError | null;
	/** Changes the server refused, kept until the person deals with them. */
	needsAttention: RejectedEntry[];
	loginRequired: boolean;
	updateRequired: boolean;
}

/** What the runner tells whoever shows sync state: the rune class in the app, a plain recorder in tests. */
export interface SyncReporter {
	report(patch: Partial<SyncSnapshot>): void;
}

export function initialSnapshot(): SyncSnapshot {
	return {
		online: true,
		syncing: false,
		pendingCount: 0,
		bytesLeft: 0,
		progress: null,
		lastSuccessAt: null,
		lastError: null,
		needsAttention: [],
		loginRequired: false,
		updateRequired: false
	};
}
