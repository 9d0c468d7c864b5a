import type { SyncError } from './sync/events';

export interface FieldIssue {
	path: string;
	message: string;
}

/** A write the device refuses before anything is stored; `code` and `message` are for the person. */
export class LocalRefusal extends Error implements SyncError {
	constructor(
		readonly code: string,
		message: string,
		readonly issues: FieldIssue[] = []
	) {
		super(message);
		this.name = 'LocalRefusal';
	}
}

/** Whether IndexedDB refused a write for lack of space (directly, or as the cause of an aborted transaction). */
export function isStorageFull(error: unknown): boolean {
	for (let e = error; e && typeof e === 'object'; e = (e as { inner?: unknown }).inner) {
		if ((e as { name?: unknown }).name === 'QuotaExceededError') return true;
	}
	return false;
}

/** A storage-full error as the refusal a person reads; anything else unchanged. */
export function asStorageRefusal(error: unknown): unknown {
	if (!isStorageFull(error)) return error;
	const reason = error instanceof Error ? error.message : String(error);
	return new LocalRefusal('STORAGE_FULL', `The device's storage is full; nothing was saved (${reason}).`);
}

/** Zod's issues as `path: message` lines a person (or a log) can read. */
export function fieldIssues(error: {
	issues: readonly { path: PropertyKey[]; message: string }[];
}): FieldIssue[] {
	return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function describeIssues(issues: FieldIssue[]): string {
	return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}
