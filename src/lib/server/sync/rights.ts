import { can, type Action, type Actor } from '$lib/domain';
import type { CollectionName, collections } from '$lib/sync/collections';
import type { Stored } from './storage';

export type Creatable = {
	[C in CollectionName]: (typeof collections)[C] extends { create: true } ? C : never;
}[CollectionName];

/** What a person must hold at a record's place to make one (DOMAIN.md roles table). */
export const createAction: Readonly<Record<Creatable, Action>> = {
	patrol: 'record',
	observation: 'record',
	feedback: 'record',
	survey: 'record',
	visit: 'recordVisit'
};

/** Records nobody authors (cases): whoever holds this action at the place changes them. */
const changeAction: Partial<Record<CollectionName, Action>> = { case: 'manageCase' };

/**
 * Whether the actor may update or delete a stored record at `place` (its place before or after the
 * change): its author while they may still record there, or the holder of the collection's change action.
 */
export function mayChange(
	actor: Actor,
	collection: CollectionName,
	stored: Pick<Stored, 'record'>,
	place: Stored['place']
): boolean {
	const action = changeAction[collection];
	if (action) return can(actor, action, place);
	const create: Action | undefined = (createAction as Partial<Record<CollectionName, Action>>)[collection];
	return create !== undefined && stored.record.by === actor.id && can(actor, create, place);
}

/** Records that freeze: a submitted patrol counts in the assessment; the edit that submits it still applies. */
export const frozen: Partial<Record<CollectionName, (record: Record<string, unknown>) => boolean>> = {
	patrol: (record) => record.status !== 'draft'
};
