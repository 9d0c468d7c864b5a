import { can, type Place } from '$lib/domain';
import { collections, type CollectionName } from '$lib/sync/collections';
import { mergeFields, sameContent } from '$lib/sync/merge';
import { deleteArgs, updateArgs } from '$lib/sync/mutations';
import type { Applied, MutationContext } from './apply';
import { openCaseIfDue } from './caseOpening';
import { requirePhotos } from './photos';
import { forbiddenHere, notFound, parseArgs, Refusal, unknownPlace } from './refusal';
import { createAction, frozen, type Creatable } from '$lib/sync/rights';
import { mayChange } from './rights';
import { placeOfRecord } from './places';
import { asStored, type PushStore } from './storage';
import { recordFields } from './tables';

/** The args with `by` set to the person pushing: a device never decides who made a record. */
export function authoredBy(args: unknown, actorId: string): unknown {
	return args && typeof args === 'object' && !Array.isArray(args) ? { ...args, by: actorId } : args;
}

/**
 * Stores a new record once its photos, place and the actor's right (`allowed` at the place) check out.
 * A record with the same id already stored counts as applied when its content is the same, apart from
 * the fields the server `stamps` on the record as it stores it.
 */
export async function insertNew(
	store: PushStore,
	context: MutationContext,
	collection: CollectionName,
	sent: { id: string },
	allowed: (place: Place) => boolean | Promise<boolean>,
	stamps: Record<string, unknown> = {}
): Promise<Applied> {
	const record = { ...sent, ...stamps };
	await requirePhotos(store, record);
	const place = await placeOfRecord(store, collection, record);
	if (!place) throw unknownPlace();
	if (!(await allowed(place))) throw forbiddenHere();
	const applied = { collection, recordId: record.id, changes: record };
	const existing = await store.read(collection, record.id, true);
	if (existing) {
		const stamped = Object.fromEntries(Object.keys(stamps).map((key) => [key, existing.record[key]]));
		if (!sameContent(existing.record, asStored(collection, { ...record, ...stamped }, place))) {
			throw new Refusal('DUPLICATE_ID', 'sync.rejected.duplicateId');
		}
		return { ...applied, version: existing.version };
	}
	const version = await store.insert(collection, record, place);
	await openCaseIfDue(store, context, collection, record, place, true);
	return { ...applied, version };
}

export async function createRecord(
	store: PushStore,
	context: MutationContext,
	collection: Creatable,
	args: unknown
): Promise<Applied> {
	const record = parseArgs(collections[collection].schema, authoredBy(args, context.actor.id));
	return insertNew(store, context, collection, record, (place) =>
		can(context.actor, createAction[collection], place)
	);
}

/** Merges the changed fields into the stored record (later arrival wins) and stores it whole again. */
export async function updateFields(
	store: PushStore,
	context: MutationContext,
	collection: CollectionName,
	args: unknown
): Promise<Applied> {
	const { id, changes } = parseArgs(updateArgs(collection), args);
	const stored = await store.read(collection, id, true);
	if (!stored || stored.deleted) throw notFound();
	if (!mayChange(context.actor, collection, stored, stored.place)) throw forbiddenHere();
	if (frozen[collection]?.(stored.record)) {
		throw new Refusal('NOT_EDITABLE', 'sync.rejected.notEditable', {}, stored.record);
	}
	const merged = mergeFields(stored.record, changes);
	// Records that keep an `updatedAt` say when the server last took a change to them.
	if (recordFields(collection).includes('updatedAt')) merged.updatedAt = context.now.toISOString();
	const record = parseArgs(collections[collection].schema, merged) as { id: string };
	await requirePhotos(store, changes);
	const place = await placeOfRecord(store, collection, record);
	if (!place) throw unknownPlace();
	if (!mayChange(context.actor, collection, stored, place)) throw forbiddenHere();
	const version = await store.update(collection, record, place);
	await openCaseIfDue(store, context, collection, record, place, false);
	return { collection, recordId: id, changes, version };
}

/** Deletes are tombstones; deleting a record already deleted is applied without a new version. */
export async function deleteRecord(
	store: PushStore,
	context: MutationContext,
	collection: CollectionName,
	args: unknown
): Promise<Applied> {
	const { id } = parseArgs(deleteArgs, args);
	const stored = await store.read(collection, id, true);
	if (!stored) throw notFound();
	const applied = { collection, recordId: id, changes: { id } };
	if (stored.deleted) return { ...applied, version: stored.version };
	if (!mayChange(context.actor, collection, stored, stored.place)) throw forbiddenHere();
	return { ...applied, version: await store.tombstone(collection, id, context.now) };
}
