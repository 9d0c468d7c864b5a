import type { Actor } from '$lib/domain';
import type { Locale } from '$lib/i18n';
import type { CollectionName } from '$lib/sync/collections';
import { parseMutationName, type MutationKind } from '$lib/sync/mutations';
import type { MutationEnvelope } from '$lib/sync/protocol';
import { auditMutation } from './audit';
import { addComment, assignCommand, transitionCommand } from './caseCommands';
import { createRecord, deleteRecord, updateFields } from './recordMutations';
import { Refusal } from './refusal';
import type { Creatable } from '$lib/sync/rights';
import type { PushStore } from './storage';

/** Who pushes, from which device and request, and the server's time for the whole push. */
export interface MutationContext {
	actor: Actor;
	clientId: string;
	requestId: string;
	locale: Locale;
	now: Date;
}

/** What an applied mutation wrote: its main record, the version that got, and the change to audit. */
export interface Applied {
	collection: CollectionName;
	recordId: string;
	version: number;
	changes: object;
}

/** The record kinds are generic over the collection registry; only case commands are named. */
function dispatch(
	store: PushStore,
	context: MutationContext,
	mutation: MutationKind,
	args: unknown
): Promise<Applied> {
	switch (mutation.kind) {
		case 'create':
			// parseMutationName names a create only for collections the registry marks `create`.
			return createRecord(store, context, mutation.collection as Creatable, args);
		case 'update':
			return updateFields(store, context, mutation.collection, args);
		case 'delete':
			return deleteRecord(store, context, mutation.collection, args);
		case 'case.transition':
			return transitionCommand(store, context, args);
		case 'case.assign':
			return assignCommand(store, context, args);
		case 'caseEvent.add':
			return addComment(store, context, args);
	}
}

/**
 * Applies one mutation inside the caller's savepoint and audits it, or throws the Refusal that says
 * why not. Every row it writes takes the next global version.
 */
export async function applyMutation(
	store: PushStore,
	context: MutationContext,
	mutation: MutationEnvelope
): Promise<number> {
	const kind = parseMutationName(mutation.name);
	if (!kind) throw new Refusal('UNKNOWN_MUTATION', 'sync.rejected.unknownMutation', { name: mutation.name });
	const applied = await dispatch(store, context, kind, mutation.args);
	await auditMutation(store, context, mutation.name, applied);
	return applied.version;
}
