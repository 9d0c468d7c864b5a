import { describe, expect, it } from 'vitest';
import {
	availableTransitions,
	caseMachine,
	isOpenCase,
	transitionCase,
	type CaseTransition
} from './caseMachine';
import { caseStatuses, type CaseStatus, type Role } from './enums';
import { caseRecord, type CaseRecord } from './records';
import { everywhere, type Actor, type Place } from './scope';

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const communityA = id(1);
const compoundA1 = id(11);
const gridA1 = id(111);
const gridA1b = id(112);
const place: Place = { communityId: communityA, compoundId: compoundA1, gridId: gridA1 };

const actors: Record<Role, Actor> = {
	volunteer: {
		id: id(901),
		role: 'volunteer',
		teamId: id(801),
		scope: { all: false, communityIds: [communityA], compoundIds: [compoundA1], gridIds: [] }
	},
	grid_leader: {
		id: id(902),
		role: 'grid_leader',
		scope: { all: false, communityIds: [], compoundIds: [compoundA1], gridIds: [gridA1] }
	},
	coordinator: {
		id: id(903),
		role: 'coordinator',
		scope: { all: false, communityIds: [communityA], compoundIds: [compoundA1], gridIds: [gridA1, gridA1b] }
	},
	admin: { id: id(904), role: 'admin', scope: everywhere }
};

const created = '2026-03-01T08:00:00.000Z';
const now = new Date('2026-03-02T09:30:00.000Z');

function aCase(status: CaseStatus, over: Partial<CaseRecord> = {}): CaseRecord {
	return {
		id: id(500),
		source: { type: 'observation', id: id(600) },
		title: 'Fire lane blocked by cars at building 3',
		category: 'parking',
		priority: 'normal',
		compoundId: compoundA1,
		gridId: gridA1,
		status,
		createdAt: created,
		updatedAt: created,
		...over
	};
}

/** A command carrying whatever its target status asks for. */
function command(from: CaseStatus, to: CaseStatus): CaseTransition {
	return {
		from,
		to,
		reason: 'Belongs to the city water company',
		duplicateOf: id(501),
		assigneeId: id(902),
		resolution: 'Cars towed, fire lane marked again'
	};
}

/** DOMAIN.md's diagram, written out pair by pair. */
const drawn: [CaseStatus, CaseStatus][] = [
	['reported', 'triaged'],
	['reported', 'duplicate'],
	['reported', 'rejected'],
	['triaged', 'assigned'],
	['triaged', 'duplicate'],
	['triaged', 'rejected'],
	['assigned', 'in_progress'],
	['assigned', 'rejected'],
	['in_progress', 'resolved'],
	['in_progress', 'rejected'],
	['resolved', 'closed'],
	['resolved', 'reopened'],
	['reopened', 'assigned']
];
const legal = caseStatuses.flatMap((from) =>
	caseStatuses.filter((to) => caseMachine[from][to] !== undefined).map((to) => ({ from, to }))
);
const illegal = caseStatuses.flatMap((from) =>
	caseStatuses.filter((to) => caseMachine[from][to] === undefined).map((to) => ({ from, to }))
);
const closing = (to: CaseStatus) => to === 'closed' || to === 'reopened';

describe('caseMachine', () => {
	it('holds exactly the transitions of the diagram', () => {
		expect(legal.map(({ from, to }) => [from, to])).toEqual(drawn);
	});

	it('covers every status and all 81 pairs', () => {
		expect(Object.keys(caseMachine).sort()).toEqual([...caseStatuses].sort());
		expect(legal.length + illegal.length).toBe(81);
	});

	it('closing and reopening need closeCase, every other move manageCase', () => {
		for (const { from, to } of legal) {
			expect(caseMachine[from][to]).toBe(closing(to) ? 'closeCase' : 'manageCase');
		}
	});

	it('closed, duplicate and rejected are the only statuses a case cannot leave', () => {
		expect(caseStatuses.filter((s) => !isOpenCase(s))).toEqual(['closed', 'duplicate', 'rejected']);
	});
});

describe('transitionCase: legal moves', () => {
	const allowed = legal.flatMap(({ from, to }) =>
		(closing(to)
			? (['coordinator', 'admin'] as const)
			: (['grid_leader', 'coordinator', 'admin'] as const)
		).map((role) => ({ from, to, role }))
	);

	it.each(allowed)('$role moves a case $from -> $to', ({ from, to, role }) => {
		const result = transitionCase(aCase(from), command(from, to), actors[role], place, now);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.next.status).toBe(to);
		expect(result.next.updatedAt).toBe(now.toISOString());
		expect(caseRecord.parse(result.next)).toEqual(result.next);
	});

	it.each(legal.filter(({ to }) => closing(to)))(
		'a grid leader may not move $from -> $to',
		({ from, to }) => {
			const result = transitionCase(aCase(from), command(from, to), actors.grid_leader, place, now);
			expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN' });
		}
	);

	it.each(legal)('a volunteer may not move $from -> $to', ({ from, to }) => {
		const result = transitionCase(aCase(from), command(from, to), actors.volunteer, place, now);
		expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN' });
	});

	it('leaves the given case untouched and keeps its other fields', () => {
		const current = aCase('in_progress', { assigneeId: id(902), dueAt: '2026-03-04T08:00:00.000Z' });
		const before = structuredClone(current);
		const result = transitionCase(current, command('in_progress', 'resolved'), actors.admin, place, now);
		expect(current).toEqual(before);
		expect(result).toEqual({
			ok: true,
			next: {
				...before,
				status: 'resolved',
				resolution: 'Cars towed, fire lane marked again',
				updatedAt: now.toISOString()
			}
		});
	});
});

describe('transitionCase: what each move writes', () => {
	const run = (current: CaseRecord, cmd: CaseTransition, actor: Actor = actors.coordinator) => {
		const result = transitionCase(current, cmd, actor, place, now);
		if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
		return result.next;
	};

	it.each([
		['safety', '2026-03-03T09:30:00.000Z'],
		['sanitation', '2026-03-04T09:30:00.000Z'],
		['parking', '2026-03-05T09:30:00.000Z'],
		['facility', '2026-03-05T09:30:00.000Z'],
		['other', '2026-03-07T09:30:00.000Z']
	] as const)('triage of a %s case sets dueAt to %s', (category, due) => {
		const next = run(aCase('reported', { category }), { from: 'reported', to: 'triaged' });
		expect(next.dueAt).toBe(due);
	});

	it('assignment sets the assignee, also after a reopen', () => {
		expect(run(aCase('triaged'), command('triaged', 'assigned')).assigneeId).toBe(id(902));
		const reassigned = { from: 'reopened', to: 'assigned', assigneeId: id(903) } as const;
		expect(run(aCase('reopened', { assigneeId: id(902) }), reassigned).assigneeId).toBe(id(903));
	});

	it('duplicate names the case it duplicates', () => {
		expect(run(aCase('reported'), command('reported', 'duplicate')).duplicateOf).toBe(id(501));
	});

	it('rejection keeps the reason, trimmed, where a resolution would be', () => {
		const next = run(aCase('assigned'), { from: 'assigned', to: 'rejected', reason: '  Not ours  ' });
		expect(next.resolution).toBe('Not ours');
	});

	it('resolution keeps the resolution, trimmed', () => {
		const next = run(aCase('in_progress'), { from: 'in_progress', to: 'resolved', resolution: ' Fixed ' });
		expect(next.resolution).toBe('Fixed');
	});

	it('closing keeps the satisfaction when given, and closes without one', () => {
		const resolved = aCase('resolved', { resolution: 'Fixed' });
		expect(run(resolved, { from: 'resolved', to: 'closed', satisfaction: 4 }).satisfaction).toBe(4);
		expect(run(resolved, { from: 'resolved', to: 'closed' })).not.toHaveProperty('satisfaction');
	});

	it('reopening clears the resolution that did not hold', () => {
		const next = run(aCase('resolved', { resolution: 'Fixed' }), { from: 'resolved', to: 'reopened' });
		expect(next.resolution).toBeNull();
	});

	it('starting work changes nothing but status and updatedAt', () => {
		const current = aCase('assigned', { assigneeId: id(902) });
		expect(run(current, { from: 'assigned', to: 'in_progress' })).toEqual({
			...current,
			status: 'in_progress',
			updatedAt: now.toISOString()
		});
	});
});

describe('transitionCase: refusals', () => {
	it.each(illegal)('$from -> $to is ILLEGAL_TRANSITION', ({ from, to }) => {
		const result = transitionCase(aCase(from), command(from, to), actors.admin, place, now);
		expect(result).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
		expect(result).not.toHaveProperty('current');
	});

	it.each(['constructor', '__proto__', 'toString'])('a `to` of %s is ILLEGAL_TRANSITION', (to) => {
		const forged = { from: 'reported', to } as unknown as CaseTransition;
		const result = transitionCase(aCase('reported'), forged, actors.admin, place, now);
		expect(result).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
	});

	it('a stale from is STALE_TRANSITION and carries the current case', () => {
		const current = aCase('assigned', { assigneeId: id(902) });
		const result = transitionCase(current, command('triaged', 'assigned'), actors.coordinator, place, now);
		expect(result).toMatchObject({ ok: false, code: 'STALE_TRANSITION', current });
	});

	it('a stale from wins over an illegal pair', () => {
		const result = transitionCase(aCase('closed'), command('reported', 'closed'), actors.admin, place, now);
		expect(result).toMatchObject({ ok: false, code: 'STALE_TRANSITION' });
	});

	it.each([
		['reported', 'duplicate', 'duplicateOf'],
		['triaged', 'duplicate', 'duplicateOf'],
		['assigned', 'rejected', 'reason'],
		['in_progress', 'rejected', 'reason'],
		['triaged', 'assigned', 'assigneeId'],
		['reopened', 'assigned', 'assigneeId'],
		['in_progress', 'resolved', 'resolution']
	] as const)('%s -> %s without %s is MISSING_FIELD', (from, to, field) => {
		const absent = transitionCase(aCase(from), { from, to }, actors.admin, place, now);
		expect(absent).toMatchObject({ ok: false, code: 'MISSING_FIELD', field });
		const blank = transitionCase(aCase(from), { from, to, [field]: '   ' }, actors.admin, place, now);
		expect(blank).toMatchObject({ ok: false, code: 'MISSING_FIELD', field });
	});

	it('a case cannot be a duplicate of itself', () => {
		const cmd = { from: 'reported', to: 'duplicate', duplicateOf: id(500) } as const;
		const result = transitionCase(aCase('reported'), cmd, actors.admin, place, now);
		expect(result).toMatchObject({ ok: false, code: 'INVALID_FIELD', field: 'duplicateOf' });
	});

	it.each([0, 6, 3.5])('a satisfaction of %s is INVALID_FIELD', (satisfaction) => {
		const cmd = { from: 'resolved', to: 'closed', satisfaction } as const;
		const result = transitionCase(aCase('resolved'), cmd, actors.admin, place, now);
		expect(result).toMatchObject({ ok: false, code: 'INVALID_FIELD', field: 'satisfaction' });
	});

	it('an assignee that is not a record id is INVALID_FIELD', () => {
		const cmd = { from: 'triaged', to: 'assigned', assigneeId: 'wang' } as const;
		const result = transitionCase(aCase('triaged'), cmd, actors.admin, place, now);
		expect(result).toMatchObject({ ok: false, code: 'INVALID_FIELD', field: 'assigneeId' });
	});

	it('a coordinator of another community is FORBIDDEN', () => {
		const outsider = { ...actors.coordinator, scope: { ...actors.coordinator.scope, communityIds: [id(2)] } };
		const result = transitionCase(aCase('reported'), command('reported', 'triaged'), outsider, place, now);
		expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN' });
	});

	it('a grid leader of another grid is FORBIDDEN', () => {
		const current = aCase('reported', { gridId: gridA1b });
		const there = { ...place, gridId: gridA1b };
		const result = transitionCase(current, command('reported', 'triaged'), actors.grid_leader, there, now);
		expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN' });
	});

	it('an actor out of scope with a stale from learns FORBIDDEN, never the current case', () => {
		const result = transitionCase(
			aCase('closed'),
			command('reported', 'triaged'),
			actors.volunteer,
			place,
			now
		);
		expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN' });
		expect(result).not.toHaveProperty('current');
	});

	it('throws when the caller passes a place other than where the case sits', () => {
		const elsewhere = { ...place, compoundId: id(12) };
		expect(() =>
			transitionCase(aCase('reported'), command('reported', 'triaged'), actors.admin, elsewhere, now)
		).toThrow(/not where case/);
	});
});

describe('availableTransitions', () => {
	it('offers each role the moves it may make', () => {
		const resolved = aCase('resolved');
		expect(availableTransitions(resolved, actors.coordinator, place)).toEqual(['closed', 'reopened']);
		expect(availableTransitions(resolved, actors.grid_leader, place)).toEqual([]);
		expect(availableTransitions(aCase('assigned'), actors.grid_leader, place)).toEqual([
			'in_progress',
			'rejected'
		]);
		expect(availableTransitions(aCase('reported'), actors.volunteer, place)).toEqual([]);
		expect(availableTransitions(aCase('closed'), actors.admin, place)).toEqual([]);
	});
});
