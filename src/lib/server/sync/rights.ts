import { can, type Action, type Actor } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import { createAction } from '$lib/sync/rights';
import type { Stored } from './storage';

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
