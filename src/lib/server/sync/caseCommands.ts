import { eq } from 'drizzle-orm';
import {
	can,
	canSeeRecord,
	isOpenCase,
	transitionCase,
	type Actor,
	type CaseRecord,
	type CaseTransitionRefusal,
	type Place
} from '$lib/domain';
import { t, type MessageKey } from '$lib/i18n';
import { caseAssignArgs, caseEventAddArgs, caseTransitionArgs } from '$lib/sync/mutations';
import { resolveScope } from '../auth/scope';
import { teams, users } from '../db/schema';
import type { Applied, MutationContext } from './apply';
import { appendCaseEvent } from './caseEvents';
import { authoredBy, insertNew } from './recordMutations';
import { forbiddenHere, notFound, parseArgs, Refusal } from './refusal';
import type { PushStore, Stored, Tx } from './storage';

const transitionMessages: Readonly<Record<CaseTransitionRefusal['code'], MessageKey>> = {
	STALE_TRANSITION: 'sync.rejected.staleTransition',
	ILLEGAL_TRANSITION: 'sync.rejected.illegalTransition',
	FORBIDDEN: 'sync.rejected.forbidden',
	MISSING_FIELD: 'sync.rejected.missingField',
	INVALID_FIELD: 'sync.rejected.invalidField'
};

async function storedCase(store: PushStore, id: string): Promise<Stored & { record: CaseRecord }> {
	const stored = await store.read('case', id, true);
	if (!stored || stored.deleted) throw notFound();
	return stored as Stored & { record: CaseRecord };
}

const invalidField = (context: MutationContext, field: 'assigneeId' | 'duplicateOf' | 'teamId') =>
	new Refusal('INVALID_FIELD', 'sync.rejected.invalidField', {
		field: t(context.locale, `caseField.${field}`)
	});

/** The person a case goes to must be active and able to work cases where it sits; returns their name. */
async function requireAssignee(tx: Tx, context: MutationContext, userId: string, place: Place) {
	const [user] = await tx.select().from(users).where(eq(users.id, userId));
	if (!user || !user.active || user.deletedAt) throw invalidField(context, 'assigneeId');
	const assignee: Actor = { ...user, scope: await resolveScope(tx, user) };
	if (!can(assignee, 'manageCase', place)) throw invalidField(context, 'assigneeId');
	return user.displayName;
}

async function requireTeam(tx: Tx, context: MutationContext, teamId: string, place: Place) {
	const [team] = await tx.select().from(teams).where(eq(teams.id, teamId));
	if (!team || team.deletedAt || !team.communityIds.includes(place.communityId)) {
		throw invalidField(context, 'teamId');
	}
}

/** `case.transition`: a compare-and-set move along the case machine, written with its event. */
export async function transitionCommand(
	store: PushStore,
	context: MutationContext,
	args: unknown
): Promise<Applied> {
	const command = parseArgs(caseTransitionArgs, args);
	const { record: current, place } = await storedCase(store, command.id);
	const result = transitionCase(current, command, context.actor, place, context.now);
	if (!result.ok) {
		const field = result.field && t(context.locale, `caseField.${result.field}`);
		// A refused actor in scope gets the case as it is now, to show and rebase on; others get nothing.
		const shown = result.code === 'FORBIDDEN' ? undefined : current;
		throw new Refusal(result.code, transitionMessages[result.code], field ? { field } : {}, shown);
	}
	if (command.to === 'assigned' && command.assigneeId) {
		await requireAssignee(store.tx, context, command.assigneeId, place);
	}
	if (command.to === 'duplicate' && command.duplicateOf) {
		if (!(await store.read('case', command.duplicateOf, false))) throw invalidField(context, 'duplicateOf');
	}
	const resolved = command.to === 'resolved' ? { resolvedAt: context.now } : {};
	const version = await store.update('case', result.next, place, resolved);
	await appendCaseEvent(store, context, current.id, place, {
		kind: 'transition',
		from: command.from,
		to: command.to,
		body: command.reason ?? command.resolution ?? null
	});
	return { collection: 'case', recordId: current.id, changes: command, version };
}

/** `case.assign`: who (and which team) works an open case, recorded as an assignment event. */
export async function assignCommand(
	store: PushStore,
	context: MutationContext,
	args: unknown
): Promise<Applied> {
	const command = parseArgs(caseAssignArgs, args);
	const { record: current, place } = await storedCase(store, command.id);
	if (!can(context.actor, 'manageCase', place)) throw forbiddenHere();
	if (!isOpenCase(current.status))
		throw new Refusal('NOT_EDITABLE', 'sync.rejected.notEditable', {}, current);
	const name = command.assigneeId && (await requireAssignee(store.tx, context, command.assigneeId, place));
	if (command.teamId) await requireTeam(store.tx, context, command.teamId, place);
	const next: CaseRecord = {
		...current,
		assigneeId: command.assigneeId,
		...(command.teamId === undefined ? {} : { teamId: command.teamId }),
		updatedAt: context.now.toISOString()
	};
	const version = await store.update('case', next, place);
	await appendCaseEvent(store, context, current.id, place, {
		kind: 'assignment',
		body: name ? t(context.locale, 'caseEvent.assigned', { name }) : t(context.locale, 'caseEvent.unassigned')
	});
	return { collection: 'case', recordId: current.id, changes: command, version };
}

/** Cases have no author: who sees one follows from where it sits and whether it is still open. */
const noAuthor = '';

/**
 * `caseEvent.add`: a comment, append-only, on a case the actor may see. Its time is the server's, like
 * every other event of the timeline: a phone whose clock is off must not put a comment before the step
 * it answered.
 */
export async function addComment(
	store: PushStore,
	context: MutationContext,
	args: unknown
): Promise<Applied> {
	const event = parseArgs(caseEventAddArgs, authoredBy(args, context.actor.id));
	const allowed = async (place: Place) => {
		const owner = await store.read('case', event.caseId, false);
		const status = owner?.record.status as CaseRecord['status'] | undefined;
		return canSeeRecord(context.actor, { by: noAuthor, place, isOpenCase: !!status && isOpenCase(status) });
	};
	return insertNew(store, context, 'caseEvent', event, allowed, { at: context.now.toISOString() });
}
