import type { Role } from './enums';
import type { Resident } from './records';
import type { Actor, Place } from './scope';

/** Everything the roles table of DOMAIN.md grants, one name per row (a row may hold several). */
export const actions = [
	'record',
	'recordVisit',
	'see',
	'seePersonal',
	'manageCase',
	'closeCase',
	'runAssessment',
	'export',
	'manageUsers',
	'manageTemplates',
	'manageReferenceData'
] as const;
export type Action = (typeof actions)[number];

/** Which roles hold an action at all; `see`/`seePersonal` mean "everything at the place", which volunteers never get. */
const grantedTo: Readonly<Record<Action, readonly Role[]>> = {
	record: ['volunteer', 'grid_leader', 'coordinator', 'admin'],
	recordVisit: ['grid_leader', 'coordinator', 'admin'],
	see: ['grid_leader', 'coordinator', 'admin'],
	seePersonal: ['grid_leader', 'coordinator', 'admin'],
	manageCase: ['grid_leader', 'coordinator', 'admin'],
	closeCase: ['coordinator', 'admin'],
	runAssessment: ['coordinator', 'admin'],
	export: ['coordinator', 'admin'],
	manageUsers: ['admin'],
	manageTemplates: ['coordinator', 'admin'],
	manageReferenceData: ['admin']
};

/** Actions on district-wide things (users, templates, reference data): a place does not narrow them. */
const districtWide: ReadonlySet<Action> = new Set(['manageUsers', 'manageTemplates', 'manageReferenceData']);

/** Whether `place` lies inside the actor's scope, read the way scope.ts describes it for each role. */
export function inScope(actor: Actor, place: Place): boolean {
	const { scope } = actor;
	if (actor.role === 'admin' || scope.all) return true;
	switch (actor.role) {
		case 'volunteer':
			return scope.compoundIds.includes(place.compoundId);
		case 'grid_leader':
			return place.gridId
				? scope.gridIds.includes(place.gridId)
				: scope.compoundIds.includes(place.compoundId);
		case 'coordinator':
			return scope.communityIds.includes(place.communityId);
	}
}

/**
 * Whether the actor may do `action` at `place` (where the record or case sits).
 * Without a place it answers whether the role may do it anywhere, to show or hide a control.
 */
export function can(actor: Actor, action: Action, place?: Place): boolean {
	if (!grantedTo[action].includes(actor.role)) return false;
	return !place || districtWide.has(action) || inScope(actor, place);
}

/** A volunteer sees their own records and the open cases of their team's compounds; others see their scope. */
export function canSeeRecord(
	actor: Actor,
	record: { by: string; place: Place; isOpenCase?: boolean }
): boolean {
	if (record.by === actor.id) return true;
	if (actor.role === 'volunteer') return record.isOpenCase === true && inScope(actor, record.place);
	return can(actor, 'see', record.place);
}

/** A volunteer sees a resident's name and phone only on records they made and only until these sync. */
export function canSeeResident(actor: Actor, record: { by: string; place: Place; synced: boolean }): boolean {
	if (actor.role === 'volunteer') return record.by === actor.id && !record.synced;
	return can(actor, 'seePersonal', record.place);
}

/** `13812345678` -> `138****5678`: the carrier prefix and the last four digits stay readable. */
export function maskPhone(phone: string): string {
	if (phone.length <= 7) return '*'.repeat(phone.length);
	return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** `张三丰` -> `张**`; counts characters, not UTF-16 units, so rare surnames mask cleanly too. */
export function maskName(name: string): string {
	const [first = '', ...rest] = Array.from(name);
	return first ? first + '*'.repeat(Math.max(1, rest.length)) : '';
}

/** The resident as a person without the right to see them reads it; the unit stays to find the door. */
export function maskResident(resident: Resident): Resident {
	return {
		...resident,
		...(resident.name ? { name: maskName(resident.name) } : {}),
		...(resident.phone ? { phone: maskPhone(resident.phone) } : {})
	};
}
