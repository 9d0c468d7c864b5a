import { z } from 'zod';
import { caseStatus, caseStatuses, type CaseStatus } from './enums';
import { recordId } from './ids';
import { can } from './permissions';
import type { CaseRecord } from './records';
import type { Actor, Place } from './scope';
import { dueAt } from './serviceLevels';

type CaseAction = 'manageCase' | 'closeCase';

/** Each status, the statuses it may move to, and the permission each move needs. */
export const caseMachine: Readonly<Record<CaseStatus, Readonly<Partial<Record<CaseStatus, CaseAction>>>>> = {
	// As drawn, plus rejecting at reported/triaged: "not our responsibility" is usually known at triage.
	reported: { triaged: 'manageCase', duplicate: 'manageCase', rejected: 'manageCase' },
	triaged: { assigned: 'manageCase', duplicate: 'manageCase', rejected: 'manageCase' },
	assigned: { in_progress: 'manageCase', rejected: 'manageCase' },
	in_progress: { resolved: 'manageCase', rejected: 'manageCase' },
	resolved: { closed: 'closeCase', reopened: 'closeCase' },
	reopened: { assigned: 'manageCase' },
	closed: {},
	duplicate: {},
	rejected: {}
};

/** Open until it reaches a status with no way out (closed, duplicate, rejected). */
export function isOpenCase(status: CaseStatus): boolean {
	return Object.keys(caseMachine[status]).length > 0;
}

/** A compare-and-set command: it applies only while the case is still `from`. */
export const caseTransition = z.object({
	from: caseStatus,
	to: caseStatus,
	reason: z.string().trim().max(4000).optional(),
	duplicateOf: recordId.optional(),
	assigneeId: recordId.optional(),
	satisfaction: z.number().int().min(1).max(5).optional(),
	resolution: z.string().trim().max(4000).optional()
});
export type CaseTransition = z.infer<typeof caseTransition>;

type TransitionField = Exclude<keyof CaseTransition, 'from' | 'to'>;

/** The field a move cannot be made without. */
const requiredField: Readonly<Partial<Record<CaseStatus, TransitionField>>> = {
	duplicate: 'duplicateOf',
	rejected: 'reason',
	assigned: 'assigneeId',
	resolved: 'resolution'
};

export type CaseTransitionRefusal = {
	ok: false;
	code: 'STALE_TRANSITION' | 'ILLEGAL_TRANSITION' | 'FORBIDDEN' | 'MISSING_FIELD' | 'INVALID_FIELD';
	message: string;
	field?: TransitionField;
	current?: CaseRecord;
};
export type CaseTransitionResult = { ok: true; next: CaseRecord } | CaseTransitionRefusal;

/** The statuses this actor may move the case to now, for the buttons the UI shows. */
export function availableTransitions(current: CaseRecord, actor: Actor, place: Place): CaseStatus[] {
	return caseStatuses.filter((to) => {
		const action = caseMachine[current.status][to];
		return action !== undefined && can(actor, action, place);
	});
}

/**
 * Applies a transition command to a case, or says why not.
 * `place` is where the case sits, resolved by the caller from reference data.
 */
export function transitionCase(
	current: CaseRecord,
	command: CaseTransition,
	actor: Actor,
	place: Place,
	now: Date
): CaseTransitionResult {
	if (place.compoundId !== current.compoundId || (place.gridId ?? null) !== (current.gridId ?? null)) {
		throw new Error(`place ${place.compoundId}/${place.gridId} is not where case ${current.id} sits`);
	}
	// Every move needs case rights at the place, checked first so a stale answer never shows a case out of scope.
	if (!can(actor, 'manageCase', place)) {
		return refuse('FORBIDDEN', `${actor.role} ${actor.id} may not manage cases here`);
	}
	if (command.from !== current.status) {
		return {
			...refuse('STALE_TRANSITION', `case ${current.id} is ${current.status}, not ${command.from}`),
			current
		};
	}
	const moves = caseMachine[current.status];
	// hasOwn: a `to` of "constructor" or "__proto__" from an unparsed body must not find Object's members.
	const action = Object.hasOwn(moves, command.to) ? moves[command.to] : undefined;
	if (!action) return refuse('ILLEGAL_TRANSITION', `a case cannot go from ${command.from} to ${command.to}`);
	if (!can(actor, action, place)) {
		return refuse('FORBIDDEN', `${actor.role} ${actor.id} may not move a case to ${command.to} here`);
	}

	const field = requiredField[command.to];
	const given = field && command[field];
	if (field && (typeof given !== 'string' || given.trim() === '')) {
		return { ...refuse('MISSING_FIELD', `${field} is needed to move a case to ${command.to}`), field };
	}
	const parsed = caseTransition.safeParse(command);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		// `from` and `to` have passed the machine already, so the failing path is one of the other fields.
		return {
			...refuse('INVALID_FIELD', `${issue.path.join('.')}: ${issue.message}`),
			field: issue.path[0] as TransitionField
		};
	}
	if (command.to === 'duplicate' && parsed.data.duplicateOf === current.id) {
		return { ...refuse('INVALID_FIELD', 'a case cannot be a duplicate of itself'), field: 'duplicateOf' };
	}

	return {
		ok: true,
		next: {
			...current,
			...effectsOf(current, parsed.data, now),
			status: command.to,
			updatedAt: now.toISOString()
		}
	};
}

function refuse(code: CaseTransitionRefusal['code'], message: string): CaseTransitionRefusal {
	return { ok: false, code, message };
}

/** What a move writes on the case besides its status; the caller records the reason in the case event too. */
function effectsOf(current: CaseRecord, command: CaseTransition, now: Date): Partial<CaseRecord> {
	switch (command.to) {
		case 'triaged':
			return { dueAt: dueAt(current.category, now).toISOString() };
		case 'assigned':
			return { assigneeId: command.assigneeId };
		case 'duplicate':
			return { duplicateOf: command.duplicateOf };
		case 'rejected':
			// The reason is how the case ended, so it reads where a resolution would.
			return { resolution: command.reason };
		case 'resolved':
			return { resolution: command.resolution };
		case 'reopened':
			// The old resolution did not hold; the next `resolved` must bring a new one.
			return { resolution: null };
		case 'closed':
			return command.satisfaction === undefined ? {} : { satisfaction: command.satisfaction };
		default:
			return {};
	}
}
