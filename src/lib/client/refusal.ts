import type Dexie from 'dexie';
import { catalogs, t, type Locale, type MessageKey } from '$lib/i18n';
import { replacedByNewerApp } from './db';
import type { SyncError } from './sync/events';

export interface FieldIssue {
	path: string;
	message: string;
}

/**
 * Why the device refuses to save a change: stable codes, each with a message in every language. A case
 * move it refuses carries the state machine's own code (mutators.ts checks they are all here).
 */
export const localRefusalCodes = [
	'UNKNOWN_MUTATION',
	'VALIDATION',
	'TOO_LARGE',
	'NOT_SIGNED_IN',
	'STORAGE_FULL',
	'APP_UPDATED',
	'NOT_FOUND',
	'FORBIDDEN',
	'STALE_TRANSITION',
	'ILLEGAL_TRANSITION',
	'MISSING_FIELD',
	'INVALID_FIELD',
	'OUTBOX_NOT_EMPTY',
	'NEEDS_ATTENTION'
] as const;
export type LocalRefusalCode = (typeof localRefusalCodes)[number];

/**
 * Why a sync stopped, as the device itself says it (`SyncFailure` in ./sync/api.ts and the runner). An
 * answer of the server with any other code carries the server's own message, already in the person's
 * language; one without a code becomes `HTTP_<status>`.
 */
export const syncFailureCodes = [
	'NETWORK',
	'UNAUTHENTICATED',
	'VERSION_NOT_SUPPORTED',
	'MUTATION_GAP',
	'BAD_RESPONSE',
	'LOCAL'
] as const;
export type SyncFailureCode = (typeof syncFailureCodes)[number];

/** Values a message may need; `field` names a case field (`caseField.*`) or a record's field path. */
export type MessageParams = Record<string, string | number>;

/** A write the device refuses before anything is stored; `code` says why in any language, `message` in English. */
export class LocalRefusal extends Error implements SyncError {
	constructor(
		readonly code: LocalRefusalCode,
		message: string,
		readonly issues: FieldIssue[] = [],
		readonly params: MessageParams = {}
	) {
		super(message);
		this.name = 'LocalRefusal';
	}
}

const messageKeys: Readonly<Record<LocalRefusalCode | SyncFailureCode, MessageKey>> = {
	UNKNOWN_MUTATION: 'syncClient.unknownMutation',
	VALIDATION: 'syncClient.validation',
	TOO_LARGE: 'syncClient.tooLarge',
	NOT_SIGNED_IN: 'syncClient.notSignedIn',
	STORAGE_FULL: 'syncClient.storageFull',
	APP_UPDATED: 'syncClient.appUpdated',
	NOT_FOUND: 'syncClient.notOnDevice',
	FORBIDDEN: 'sync.rejected.forbidden',
	STALE_TRANSITION: 'sync.rejected.staleTransition',
	ILLEGAL_TRANSITION: 'sync.rejected.illegalTransition',
	MISSING_FIELD: 'sync.rejected.missingField',
	INVALID_FIELD: 'sync.rejected.invalidField',
	OUTBOX_NOT_EMPTY: 'syncClient.outboxNotEmpty',
	NEEDS_ATTENTION: 'syncClient.needsAttention',
	NETWORK: 'syncClient.offline',
	UNAUTHENTICATED: 'syncClient.loginRequired',
	VERSION_NOT_SUPPORTED: 'sync.versionNotSupported',
	MUTATION_GAP: 'syncClient.mutationGap',
	BAD_RESPONSE: 'syncClient.badResponse',
	LOCAL: 'syncClient.deviceStorage'
};

/** The message key of a code the device gives (a local refusal or a sync failure); null for the server's own codes. */
export function clientErrorMessageKey(code: string): MessageKey | null {
	if (Object.hasOwn(messageKeys, code)) return messageKeys[code as keyof typeof messageKeys];
	return /^HTTP_\d{3}$/.test(code) ? 'syncClient.serverError' : null;
}

/**
 * What to tell the person about a refusal or a failed sync, in their language. The server's own codes
 * keep the message it sent, which it wrote in the language of the request.
 */
export function clientErrorMessage(
	locale: Locale,
	error: SyncError & { issues?: FieldIssue[]; params?: MessageParams }
): string {
	const key = clientErrorMessageKey(error.code);
	if (!key) return error.message;
	const params: MessageParams = {
		details: (error.issues ?? []).map((issue) => issue.path || '-').join(', '),
		status: error.code.replace(/^HTTP_/, ''),
		...error.params
	};
	if (typeof params.field === 'string' && Object.hasOwn(catalogs[locale], `caseField.${params.field}`)) {
		params.field = t(locale, `caseField.${params.field}` as MessageKey);
	}
	return t(locale, key, params);
}

/** Whether IndexedDB refused a write for lack of space (directly, or as the cause of an aborted transaction). */
export function isStorageFull(error: unknown): boolean {
	for (let e = error; e && typeof e === 'object'; e = (e as { inner?: unknown }).inner) {
		if ((e as { name?: unknown }).name === 'QuotaExceededError') return true;
	}
	return false;
}

/**
 * A write the device's storage refused, as the refusal a person reads: storage full, or the database taken
 * over by a newer version of the app in another tab. Anything else unchanged.
 */
export function asStorageRefusal(db: Dexie, error: unknown): unknown {
	const reason = error instanceof Error ? error.message : String(error);
	if (isStorageFull(error)) {
		return new LocalRefusal('STORAGE_FULL', `The device's storage is full; nothing was saved (${reason}).`);
	}
	if (replacedByNewerApp(db)) {
		return new LocalRefusal(
			'APP_UPDATED',
			'A newer version of the app is open in another tab; reload this page.'
		);
	}
	return error;
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
