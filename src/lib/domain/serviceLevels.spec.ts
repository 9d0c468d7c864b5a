import { describe, expect, it } from 'vitest';
import { caseStatuses, type CaseStatus } from './enums';
import { dueAt, isOverdue, serviceLevelHours } from './serviceLevels';

const from = new Date('2026-03-02T09:30:00.000Z');

describe('serviceLevelHours', () => {
	it('gives each category its hours', () => {
		expect(serviceLevelHours).toEqual({ safety: 24, parking: 72, sanitation: 48, facility: 72, other: 120 });
	});
});

describe('dueAt', () => {
	it.each([
		['safety', '2026-03-03T09:30:00.000Z'],
		['sanitation', '2026-03-04T09:30:00.000Z'],
		['parking', '2026-03-05T09:30:00.000Z'],
		['facility', '2026-03-05T09:30:00.000Z'],
		['other', '2026-03-07T09:30:00.000Z']
	] as const)('a %s case is due at %s', (category, due) => {
		expect(dueAt(category, from).toISOString()).toBe(due);
	});

	it('does not change the date it starts from', () => {
		dueAt('safety', from);
		expect(from.toISOString()).toBe('2026-03-02T09:30:00.000Z');
	});
});

describe('isOverdue', () => {
	const due = '2026-03-03T09:30:00.000Z';
	const after = new Date('2026-03-03T09:30:00.001Z');
	const owing: CaseStatus[] = ['reported', 'triaged', 'assigned', 'in_progress', 'reopened'];

	it.each(caseStatuses)('a %s case past its due date', (status) => {
		expect(isOverdue({ status, dueAt: due }, after)).toBe(owing.includes(status));
	});

	it('is not overdue at the due instant itself', () => {
		expect(isOverdue({ status: 'assigned', dueAt: due }, new Date(due))).toBe(false);
	});

	it('is never overdue without a due date', () => {
		expect(isOverdue({ status: 'reported' }, after)).toBe(false);
		expect(isOverdue({ status: 'reported', dueAt: null }, after)).toBe(false);
	});

	it('reads due dates written with an offset', () => {
		const dueInBeijing = '2026-03-03T17:30:00+08:00';
		expect(isOverdue({ status: 'assigned', dueAt: dueInBeijing }, after)).toBe(true);
		expect(isOverdue({ status: 'assigned', dueAt: dueInBeijing }, new Date(due))).toBe(false);
	});
});
