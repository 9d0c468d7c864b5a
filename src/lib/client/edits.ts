import { can, type Action, type Actor } from '$lib/domain';
import { collections, type CollectionName } from '$lib/sync/collections';
import { sameContent } from '$lib/sync/merge';
import { createAction, frozen } from '$lib/sync/rights';
import type { DeviceDb, OutboxEntry, StoredRecord } from './db';
import { recordMutation } from './outbox';

const editableFields = (collection: CollectionName): readonly string[] => {
	const spec = collections[collection];
	return 'editable' in spec ? spec.editable : [];
};

/**
 * Whether the person may change their record now, as the server will judge it (its author, while their role
 * may still record, until the record freezes); the server checks the place as well.
 */
export function mayEdit(actor: Actor, collection: CollectionName, record: StoredRecord): boolean {
	const action: Action | undefined = (createAction as Partial<Record<CollectionName, Action>>)[collection];
	return (
		action !== undefined &&
		editableFields(collection).length > 0 &&
		record.by === actor.id &&
		can(actor, action) &&
		!frozen[collection]?.(record)
	);
}

/** The editable fields that `next` changes from `stored` (a field emptied becomes null); null if none. */
export function changedFields(
	collection: CollectionName,
	stored: StoredRecord,
	next: StoredRecord
): Record<string, unknown> | null {
	const changes: Record<string, unknown> = {};
	for (const field of editableFields(collection)) {
		if (!sameContent(stored[field] ?? null, next[field] ?? null)) changes[field] = next[field] ?? null;
	}
	return Object.keys(changes).length > 0 ? changes : null;
}

/**
 * Saves an edit of a record on the device as `<collection>.update` with only the changed fields (merged
 * field by field on the server); null when nothing changed. Throws a `LocalRefusal` as `recordMutation` does.
 */
export async function saveEdit(
	db: DeviceDb,
	collection: CollectionName,
	stored: StoredRecord,
	next: StoredRecord,
	options: Parameters<typeof recordMutation>[3] = {}
): Promise<OutboxEntry | null> {
	const changes = changedFields(collection, stored, next);
	if (!changes) return null;
	return recordMutation(db, `${collection}.update`, { id: stored.id, changes }, options);
}
