import { can, transitionCase, type Actor, type CaseRecord, type Place } from '$lib/domain';
import { collections, type CollectionName } from '$lib/sync/collections';
import { mergeFields } from '$lib/sync/merge';
import {
	parseMutationName,
	touchedRecord,
	type CaseAssignArgs,
	type CaseTransitionArgs,
	type MutationKind
} from '$lib/sync/mutations';
import { recordTable, type DeviceDb, type StoredRecord } from './db';
import {
	describeIssues,
	fieldIssues,
	type FieldIssue,
	type LocalRefusalCode,
	type MessageParams
} from './refusal';

/** Who acts and when: the signed-in person, and the mutation's own time (so a rebase repeats it exactly). */
export interface LocalContext {
	actor: Actor;
	now: Date;
}

export type LocalRefused = { ok: false; code: LocalRefusalCode; message: string; params?: MessageParams };
export type LocalOutcome = { ok: true } | LocalRefused;

const applied: LocalOutcome = { ok: true };
const refuse = (code: LocalRefusalCode, message: string, params?: MessageParams): LocalRefused => ({
	ok: false,
	code,
	message,
	...(params ? { params } : {})
});

/** The collections a mutation reads or writes on the device: the scope of its transaction. */
export function localCollections(mutation: MutationKind): CollectionName[] {
	switch (mutation.kind) {
		case 'case.transition':
		case 'case.assign':
			return ['case', 'compound'];
		case 'caseEvent.add':
			return ['caseEvent'];
		default:
			return [mutation.collection];
	}
}

/**
 * Applies a mutation whose args have passed `argsSchema` to the device's tables: the optimistic effect of
 * a local write, and the step a rebase repeats on top of server data. Runs inside a transaction that
 * covers `localCollections`; a refusal writes nothing.
 */
export async function applyLocally(
	db: DeviceDb,
	name: string,
	args: unknown,
	context: LocalContext
): Promise<LocalOutcome> {
	const mutation = parseMutationName(name);
	const target = touchedRecord(name, args);
	if (!mutation || !target) return refuse('UNKNOWN_MUTATION', `there is no mutation called ${name}`);
	switch (mutation.kind) {
		case 'create':
		case 'caseEvent.add':
			await recordTable(db, target.collection).put(args as StoredRecord);
			return applied;
		case 'update':
			return updateRecord(db, mutation.collection, args as { id: string; changes: StoredRecord });
		case 'delete':
			await recordTable(db, target.collection).delete(target.id);
			return applied;
		case 'case.transition':
			return moveCase(db, args as CaseTransitionArgs, context);
		case 'case.assign':
			return assignCase(db, args as CaseAssignArgs, context);
	}
}

async function updateRecord(
	db: DeviceDb,
	collection: CollectionName,
	{ id, changes }: { id: string; changes: StoredRecord }
): Promise<LocalOutcome> {
	const table = recordTable(db, collection);
	const current = await table.get(id);
	if (!current) return refuse('NOT_FOUND', `${collection} ${id} is not on this device`);
	const next = mergeFields(current, changes);
	// The whole record is checked too: some rules span fields (a resident's name needs their consent).
	const checked = collections[collection].schema.safeParse(next);
	if (!checked.success) {
		// Only what the edit breaks: a pulled copy may already fail where the server masks it (a resident's phone).
		const before = collections[collection].schema.safeParse(current);
		const key = (issue: FieldIssue) => describeIssues([issue]);
		const known = new Set(before.success ? [] : fieldIssues(before.error).map(key));
		const added = fieldIssues(checked.error).filter((issue) => !known.has(key(issue)));
		if (added.length) {
			return refuse('INVALID_FIELD', describeIssues(added), {
				field: added.map((issue) => issue.path).join(', ')
			});
		}
	}
	await table.put(next);
	return applied;
}

async function moveCase(db: DeviceDb, args: CaseTransitionArgs, { actor, now }: LocalContext) {
	const found = await caseWithPlace(db, args.id);
	if (!found.ok) return found;
	const result = transitionCase(found.current, args, actor, found.place, now);
	if (!result.ok) {
		return refuse(result.code, result.message, result.field ? { field: result.field } : undefined);
	}
	await db.case.put(result.next);
	return applied;
}

async function assignCase(db: DeviceDb, args: CaseAssignArgs, { actor }: LocalContext) {
	const found = await caseWithPlace(db, args.id);
	if (!found.ok) return found;
	if (!can(actor, 'manageCase', found.place)) {
		return refuse('FORBIDDEN', `${actor.role} ${actor.id} may not assign cases here`);
	}
	await db.case.put(mergeFields(found.current, { assigneeId: args.assigneeId, teamId: args.teamId }));
	return applied;
}

/** A case and where it sits, which the permission checks need (its community comes from the compound). */
async function caseWithPlace(
	db: DeviceDb,
	id: string
): Promise<{ ok: true; current: CaseRecord; place: Place } | LocalRefused> {
	const current = await db.case.get(id);
	if (!current) return refuse('NOT_FOUND', `case ${id} is not on this device`);
	const compound = await db.compound.get(current.compoundId);
	if (!compound) {
		return refuse('NOT_FOUND', `compound ${current.compoundId} of case ${id} is not on this device yet`);
	}
	return {
		ok: true,
		current,
		place: { communityId: compound.communityId, compoundId: current.compoundId, gridId: current.gridId }
	};
}
