import { describe, expect, it } from 'vitest';
import { assess, isFlagged, patrolCoverage, previousMonth, ratio, type AssessmentCounts } from './assessment';

const counts = (name: string, fields: Partial<AssessmentCounts> = {}): AssessmentCounts => ({
	compoundId: name,
	compoundName: name,
	communityId: 'c',
	communityName: 'c',
	answers: 0,
	satisfied: 0,
	casesDue: 0,
	resolvedOnTime: 0,
	patrolsSubmitted: 0,
	openCases: 0,
	overdueCases: 0,
	previousAnswers: 0,
	previousSatisfied: 0,
	...fields
});

describe('assessment maths', () => {
	it('flags under the threshold only, compared exactly: 59.9 % is flagged, 60 % is not', () => {
		expect(isFlagged(599, 1000, 60)).toBe(true);
		expect(isFlagged(600, 1000, 60)).toBe(false);
		expect(isFlagged(3, 5, 60)).toBe(false);
		expect(isFlagged(2, 5, 60)).toBe(true);
		expect(isFlagged(0, 0, 60)).toBe(false);
		expect(isFlagged(7, 10, 75)).toBe(true);
	});

	it('rates are null without a denominator; patrol coverage stops at the plan', () => {
		expect(ratio(1, 3)).toBeCloseTo(1 / 3);
		expect(ratio(0, 0)).toBeNull();
		expect(patrolCoverage(1, 2)).toBe(0.5);
		expect(patrolCoverage(5, 2)).toBe(1);
		expect(patrolCoverage(1, 0)).toBeNull();
	});

	it('ranks by satisfaction then on-time rate; compounds without answers come last, unranked', () => {
		const rows = assess(
			[
				counts('none'),
				counts('b', { answers: 10, satisfied: 8, casesDue: 2, resolvedOnTime: 1 }),
				counts('a', { answers: 5, satisfied: 4, casesDue: 2, resolvedOnTime: 2 }),
				counts('low', { answers: 4, satisfied: 1, previousAnswers: 2, previousSatisfied: 2 })
			],
			{ thresholdPercent: 60, patrolsPlanned: 2 }
		);
		expect(rows.map((r) => [r.compoundName, r.rank, r.flagged])).toEqual([
			['a', 1, false],
			['b', 2, false],
			['low', 3, true],
			['none', null, false]
		]);
		expect(rows[2].trend).toBe(-0.75);
	});

	it('knows the month before', () => {
		expect(previousMonth('2030-01')).toBe('2029-12');
		expect(previousMonth('2030-10')).toBe('2030-09');
	});
});
