import { z } from 'zod';
import { caseEvent, caseTransition, feedbackFields, observationFields, recordId } from '$lib/domain';
import { collections, isCollectionName, type CollectionName, type CollectionSpec } from './collections';

/**
 * Mutation names and the shape of their `args`. Envelopes are checked by the protocol schema; args
 * are checked here, one mutation at a time, so one bad mutation is rejected without failing its batch.
 */

/** The plain object behind a collection's schema (refined schemas cannot be picked from). */
const fieldsOf: Partial<Record<CollectionName, z.ZodObject>> = {
	observation: observationFields,
	feedback: feedbackFields
};

function objectSchema(collection: CollectionName): z.ZodObject {
	return fieldsOf[collection] ?? (collections[collection].schema as unknown as z.ZodObject);
}

export const deleteArgs = z.object({ id: recordId });
export const caseTransitionArgs = caseTransition.extend({ id: recordId });
export type CaseTransitionArgs = z.infer<typeof caseTransitionArgs>;
export const caseAssignArgs = z.object({
	id: recordId,
	assigneeId: recordId.nullable(),
	teamId: recordId.nullable().optional()
});
export type CaseAssignArgs = z.infer<typeof caseAssignArgs>;
/** Devices add comments; transition and assignment events are written by the server. */
export const caseEventAddArgs = caseEvent.extend({ kind: z.literal('comment') });

export function updateArgs(collection: CollectionName) {
	const editable = (
		'editable' in collections[collection] ? collections[collection].editable : []
	) as string[];
	const pick = Object.fromEntries(editable.map((field) => [field, true])) as Record<string, true>;
	return z.object({ id: recordId, changes: objectSchema(collection).pick(pick).partial().strict() });
}

export type MutationKind =
	| { kind: 'create'; collection: CollectionName }
	| { kind: 'update'; collection: CollectionName }
	| { kind: 'delete'; collection: CollectionName }
	| { kind: 'case.transition' }
	| { kind: 'case.assign' }
	| { kind: 'caseEvent.add' };

/** What a mutation name means, or null when no such mutation exists. */
export function parseMutationName(name: string): MutationKind | null {
	if (name === 'case.transition' || name === 'case.assign' || name === 'caseEvent.add') return { kind: name };
	const [collection, verb, ...rest] = name.split('.');
	if (rest.length || !isCollectionName(collection)) return null;
	const spec: CollectionSpec = collections[collection];
	if (verb === 'create' && spec.create) return { kind: 'create', collection };
	if (verb === 'update' && spec.editable?.length) return { kind: 'update', collection };
	if (verb === 'delete' && spec.deletable) return { kind: 'delete', collection };
	return null;
}

/** The schema of a mutation's args. `by` on creates is set by the server from the session. */
export function argsSchema(mutation: MutationKind): z.ZodType {
	switch (mutation.kind) {
		case 'create':
			return collections[mutation.collection].schema;
		case 'update':
			return updateArgs(mutation.collection);
		case 'delete':
			return deleteArgs;
		case 'case.transition':
			return caseTransitionArgs;
		case 'case.assign':
			return caseAssignArgs;
		case 'caseEvent.add':
			return caseEventAddArgs;
	}
}

/** The id of the record a mutation touches: what marks it "saved on this device" until acknowledged. */
export function touchedRecord(
	name: string,
	args: unknown
): { collection: CollectionName; id: string } | null {
	const mutation = parseMutationName(name);
	const id = (args as { id?: unknown } | null)?.id;
	if (!mutation || typeof id !== 'string') return null;
	if (mutation.kind === 'case.transition' || mutation.kind === 'case.assign')
		return { collection: 'case', id };
	if (mutation.kind === 'caseEvent.add') return { collection: 'caseEvent', id };
	return { collection: mutation.collection, id };
}
