import { describe, expect, it } from 'vitest';
import type { Role } from './enums';
import {
	actions,
	can,
	canSeeRecord,
	canSeeResident,
	inScope,
	maskName,
	maskPhone,
	maskResident,
	type Action
} from './permissions';
import { everywhere, nowhere, type Actor, type Place } from './scope';

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const communityA = id(1);
const communityB = id(2);
const compoundA1 = id(11);
const compoundA2 = id(12);
const compoundB1 = id(21);
const gridA1 = id(111);
const gridA1b = id(112);
const gridB1 = id(211);

const actors: Record<Role, Actor> = {
	volunteer: {
		id: id(901),
		role: 'volunteer',
		teamId: id(801),
		scope: { all: false, communityIds: [communityA], compoundIds: [compoundA1, compoundA2], gridIds: [] }
	},
	grid_leader: {
		id: id(902),
		role: 'grid_leader',
		scope: { all: false, communityIds: [], compoundIds: [compoundA1], gridIds: [gridA1] }
	},
	coordinator: {
		id: id(903),
		role: 'coordinator',
		scope: {
			all: false,
			communityIds: [communityA],
			compoundIds: [compoundA1, compoundA2],
			gridIds: [gridA1, gridA1b]
		}
	},
	admin: { id: id(904), role: 'admin', scope: everywhere }
};

const home: Place = { communityId: communityA, compoundId: compoundA1, gridId: gridA1 };
const away: Place = { communityId: communityB, compoundId: compoundB1, gridId: gridB1 };

/** The roles table of DOMAIN.md, read for a place inside the person's own scope. */
const table: Record<Action, Record<Role, boolean>> = {
	record: { volunteer: true, grid_leader: true, coordinator: true, admin: true },
	recordVisit: { volunteer: false, grid_leader: true, coordinator: true, admin: true },
	see: { volunteer: false, grid_leader: true, coordinator: true, admin: true },
	seePersonal: { volunteer: false, grid_leader: true, coordinator: true, admin: true },
	manageCase: { volunteer: false, grid_leader: true, coordinator: true, admin: true },
	closeCase: { volunteer: false, grid_leader: false, coordinator: true, admin: true },
	runAssessment: { volunteer: false, grid_leader: false, coordinator: true, admin: true },
	export: { volunteer: false, grid_leader: false, coordinator: true, admin: true },
	manageUsers: { volunteer: false, grid_leader: false, coordinator: false, admin: true },
	manageTemplates: { volunteer: false, grid_leader: false, coordinator: true, admin: true },
	manageReferenceData: { volunteer: false, grid_leader: false, coordinator: false, admin: true }
};
const districtWide: Action[] = ['manageUsers', 'manageTemplates', 'manageReferenceData'];

const cells = actions.flatMap((action) =>
	(Object.keys(actors) as Role[]).map((role) => ({ role, action, granted: table[action][role] }))
);

describe('can: every cell of the roles table', () => {
	it('the table names every action', () => {
		expect(Object.keys(table).sort()).toEqual([...actions].sort());
	});

	it.each(cells)('$role $action in own scope -> $granted', ({ role, action, granted }) => {
		expect(can(actors[role], action, home)).toBe(granted);
	});

	it.each(cells)('$role $action out of scope', ({ role, action, granted }) => {
		const placeFree = districtWide.includes(action) || role === 'admin';
		expect(can(actors[role], action, away)).toBe(placeFree && granted);
	});

	it.each(cells)('$role $action without a place -> $granted', ({ role, action, granted }) => {
		expect(can(actors[role], action)).toBe(granted);
	});
});

describe('inScope', () => {
	it('volunteer: the compounds of their team', () => {
		const v = actors.volunteer;
		expect(inScope(v, { communityId: communityA, compoundId: compoundA2 })).toBe(true);
		expect(inScope(v, { communityId: communityA, compoundId: compoundB1 })).toBe(false);
	});

	it('grid leader: their grids, and their compounds for places without a grid', () => {
		const g = actors.grid_leader;
		expect(inScope(g, home)).toBe(true);
		expect(inScope(g, { ...home, gridId: gridA1b })).toBe(false);
		expect(inScope(g, { ...home, gridId: null })).toBe(true);
		expect(inScope(g, { communityId: communityA, compoundId: compoundA2 })).toBe(false);
	});

	it('coordinator: their communities', () => {
		const c = actors.coordinator;
		expect(inScope(c, { communityId: communityA, compoundId: id(99), gridId: id(999) })).toBe(true);
		expect(inScope(c, { communityId: communityB, compoundId: compoundA1, gridId: gridA1 })).toBe(false);
	});

	it('admin: everywhere, whatever the scope says', () => {
		expect(inScope({ ...actors.admin, scope: nowhere }, away)).toBe(true);
	});

	it('a scope marked all opens every place for any role', () => {
		expect(inScope({ ...actors.grid_leader, scope: everywhere }, away)).toBe(true);
	});

	it('an empty scope opens nothing', () => {
		expect(inScope({ ...actors.coordinator, scope: nowhere }, home)).toBe(false);
	});
});

describe('canSeeRecord', () => {
	const v = actors.volunteer;
	const other = id(950);

	it('a volunteer sees what they recorded', () => {
		expect(canSeeRecord(v, { by: v.id, place: home })).toBe(true);
	});

	it("a volunteer does not see others' records in their team's compounds", () => {
		expect(canSeeRecord(v, { by: other, place: home })).toBe(false);
		expect(canSeeRecord(v, { by: other, place: home, isOpenCase: false })).toBe(false);
	});

	it("a volunteer sees open cases in their team's compounds only", () => {
		expect(canSeeRecord(v, { by: other, place: home, isOpenCase: true })).toBe(true);
		expect(canSeeRecord(v, { by: other, place: away, isOpenCase: true })).toBe(false);
	});

	it.each(['grid_leader', 'coordinator', 'admin'] as const)('%s sees everything in scope', (role) => {
		expect(canSeeRecord(actors[role], { by: other, place: home })).toBe(true);
		expect(canSeeRecord(actors[role], { by: other, place: home, isOpenCase: false })).toBe(true);
		expect(canSeeRecord(actors[role], { by: other, place: away })).toBe(role === 'admin');
	});

	it('everyone sees what they recorded, also outside their scope now', () => {
		expect(canSeeRecord(actors.grid_leader, { by: actors.grid_leader.id, place: away })).toBe(true);
	});
});

describe('canSeeResident', () => {
	const v = actors.volunteer;
	const other = id(950);

	it('a volunteer sees the resident only on their own record and only before it syncs', () => {
		expect(canSeeResident(v, { by: v.id, place: home, synced: false })).toBe(true);
		expect(canSeeResident(v, { by: v.id, place: home, synced: true })).toBe(false);
		expect(canSeeResident(v, { by: other, place: home, synced: false })).toBe(false);
	});

	it.each(['grid_leader', 'coordinator', 'admin'] as const)('%s sees residents in scope', (role) => {
		expect(canSeeResident(actors[role], { by: other, place: home, synced: true })).toBe(true);
		expect(canSeeResident(actors[role], { by: other, place: away, synced: true })).toBe(role === 'admin');
	});

	it('a grid leader does not see residents of a grid they do not lead, even on their own record', () => {
		const g = actors.grid_leader;
		expect(canSeeResident(g, { by: g.id, place: { ...home, gridId: gridA1b }, synced: true })).toBe(false);
	});
});

describe('masking', () => {
	it('maskPhone keeps the prefix and the last four digits', () => {
		expect(maskPhone('13812345678')).toBe('138****5678');
		expect(maskPhone('02112345678')).toBe('021****5678');
		expect(maskPhone('1234567')).toBe('*******');
		expect(maskPhone('')).toBe('');
	});

	it('maskName keeps the first character', () => {
		expect(maskName('张三丰')).toBe('张**');
		expect(maskName('李四')).toBe('李*');
		expect(maskName('王')).toBe('王*');
		expect(maskName('𠮷田太')).toBe('𠮷**');
		expect(maskName('')).toBe('');
	});

	it('maskResident masks name and phone and keeps the unit', () => {
		expect(maskResident({ name: '张三', phone: '13812345678', unit: '3-502' })).toEqual({
			name: '张*',
			phone: '138****5678',
			unit: '3-502'
		});
		expect(maskResident({ unit: '1-101' })).toEqual({ unit: '1-101' });
	});
});
