import type { TransferErrorCode } from '$lib/client/transfer';
import type { MessageKey } from '$lib/i18n';
import { tr } from '$lib/i18n/current.svelte';
import { parseMutationName } from '$lib/sync/mutations';
import type { CollectionName } from '$lib/sync/collections';

const collectionKeys: Partial<Record<CollectionName, MessageKey>> = {
	patrol: 'collection.patrol',
	observation: 'collection.observation',
	feedback: 'collection.feedback',
	visit: 'collection.visit',
	survey: 'collection.survey',
	case: 'collection.case',
	caseEvent: 'collection.caseEvent'
};

/** A collection's name for a person; the registry's name where the app has no words for it. */
export function collectionLabel(collection: CollectionName): string {
	const key = collectionKeys[collection];
	return key ? tr(key) : collection;
}

/** "New observation", "Case assignment" …; the mutation's own name when it is not one the app knows. */
export function mutationLabel(name: string): string {
	const mutation = parseMutationName(name);
	switch (mutation?.kind) {
		case 'create':
		case 'update':
		case 'delete':
			return tr(`mutation.${mutation.kind}`, { collection: collectionLabel(mutation.collection) });
		case 'case.transition':
			return tr('mutation.caseTransition');
		case 'case.assign':
			return tr('mutation.caseAssign');
		case 'caseEvent.add':
			return tr('mutation.caseComment');
		default:
			return name;
	}
}

/** A line of what a change said (a note, a text, a summary), for recognising it in a list. */
export function changeSummary(args: unknown): string {
	const fields = (args ?? {}) as Record<string, unknown>;
	const changes = (fields.changes ?? {}) as Record<string, unknown>;
	for (const source of [fields, changes]) {
		for (const key of ['title', 'note', 'text', 'summary', 'body']) {
			if (typeof source[key] === 'string' && source[key]) return source[key] as string;
		}
	}
	return '';
}

const transferErrors: Record<TransferErrorCode, MessageKey> = {
	WRONG_FILE: 'transfer.error.wrongFile',
	NEWER_FORMAT: 'transfer.error.newerFormat',
	ANOTHER_PERSON: 'transfer.error.anotherPerson',
	DAMAGED: 'transfer.error.damaged',
	NOT_SIGNED_IN: 'transfer.error.notSignedIn'
};

export function transferErrorText(code: TransferErrorCode): string {
	return tr(transferErrors[code]);
}

const skipReasons: Record<string, MessageKey> = {
	ALREADY_QUEUED: 'transfer.skip.alreadyQueued',
	ALREADY_ON_DEVICE: 'transfer.skip.alreadyOnDevice',
	NOT_FOUND: 'transfer.skip.notFound'
};

/** Why an imported change was skipped: in words for the reasons the app knows, else the device's message. */
export function skipReason({ code, message }: { code: string; message: string }): string {
	const key = skipReasons[code];
	return key ? tr(key) : message;
}
