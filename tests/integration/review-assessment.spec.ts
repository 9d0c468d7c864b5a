import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everywhere } from '$lib/domain';
import type { Db } from '$lib/server/db';
import { assessmentDetail, monthlyAssessment } from '$lib/server/reports/assessment';
import type { ReportContext } from '$lib/server/reports/where';
import { databaseKinds, type TestDatabase } from './databases';
import { timeZone, writer } from './review-fixtures';
import { seedDistrict, type District } from './sync-fixtures';

/**
 * The monthly assessment against a fixture whose every figure is worked out by hand below, on PGlite
 * and PostgreSQL. Local time is UTC+8: 2030-03-31T16:00Z is the first instant of April.
 */
describe.each(databaseKinds)('monthly assessment on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	const now = new Date('2030-05-10T04:00:00Z');
	const policy = { thresholdPercent: 60, patrolsPlanned: 4 };
	const as = (person: 'coordinator' | 'admin' | 'southCoordinator'): ReportContext => ({
		db,
		scope: person === 'admin' ? everywhere : d.actors[person].scope,
		timeZone,
		now
	});

	beforeAll(async () => {
		database = await open();
		db = database.db;
		d = await seedDistrict(db);
		const w = writer(db, d);
		// Satisfaction, March: surveys 5, 4, 3 and two cases closed in March (4 and 2) → 3 of 5 = 60 %.
		await w.surveys('nA', '2030-03', [5, 4, 3]);
		await w.surveys('nA', '2030-02', [2, 5]);
		await w.case('nA', {
			status: 'closed',
			createdAt: '2030-02-20T02:00:00Z',
			dueAt: '2030-02-23T02:00:00Z',
			resolvedAt: '2030-03-09T02:00:00Z',
			closedAt: '2030-03-10T02:00:00Z',
			satisfaction: 4
		});
		// Closed at 23:30 on 31 March local time: March.
		await w.case('nA', {
			status: 'closed',
			createdAt: '2030-02-25T02:00:00Z',
			dueAt: '2030-02-27T02:00:00Z',
			resolvedAt: '2030-03-30T02:00:00Z',
			closedAt: '2030-03-31T15:30:00Z',
			satisfaction: 2
		});
		// Closed at 00:30 on 1 April local time: April, and still open when March ended (resolved after).
		await w.case('nA', {
			status: 'closed',
			createdAt: '2030-03-20T02:00:00Z',
			dueAt: '2030-04-02T02:00:00Z',
			resolvedAt: '2030-03-31T16:10:00Z',
			closedAt: '2030-03-31T16:30:00Z',
			satisfaction: 1
		});
		// Due in March: on time, late, never resolved (open and overdue), rejected (not counted).
		await w.case('nA', {
			status: 'closed',
			createdAt: '2030-03-02T02:00:00Z',
			dueAt: '2030-03-05T02:00:00Z',
			resolvedAt: '2030-03-04T02:00:00Z',
			updatedAt: '2030-03-06T02:00:00Z'
		});
		await w.case('nA', {
			status: 'resolved',
			createdAt: '2030-03-17T02:00:00Z',
			dueAt: '2030-03-20T02:00:00Z',
			resolvedAt: '2030-03-22T02:00:00Z'
		});
		await w.case('nA', {
			status: 'in_progress',
			createdAt: '2030-03-22T02:00:00Z',
			dueAt: '2030-03-25T02:00:00Z'
		});
		await w.case('nA', {
			status: 'rejected',
			createdAt: '2030-03-13T02:00:00Z',
			dueAt: '2030-03-15T02:00:00Z',
			updatedAt: '2030-03-16T02:00:00Z'
		});
		// Open at month end without a due date; one made in April does not count for March.
		await w.case('nA', { status: 'reported', createdAt: '2030-03-28T02:00:00Z' });
		await w.case('nA', { status: 'reported', createdAt: '2030-04-05T02:00:00Z' });
		// Patrols: two in March, one at 01:00 on 1 March local time, a draft (not counted), one in April.
		await w.patrol('nA', '2030-03-03T11:00:00Z');
		await w.patrol('nA', '2030-03-18T11:00:00Z');
		await w.patrol('nA', '2030-02-28T17:00:00Z');
		await w.patrol('nA', '2030-03-05T11:00:00Z', 'draft');
		await w.patrol('nA', '2030-04-02T11:00:00Z');
		// The south community: out of the north coordinator's sight.
		await w.surveys('sA', '2030-03', [1, 1]);
		// The flag's boundary, in June: 600 of 1000 satisfied (60 %) and 599 of 1000 (59.9 %).
		const scores = (satisfied: number) =>
			Array.from({ length: 1000 }, (_, i) => (i < satisfied ? 4 + (i % 2) : 1 + (i % 3)));
		await w.surveys('nA', '2030-06', scores(600));
		await w.surveys('nB', '2030-06', scores(599));
	});
	afterAll(() => database.drop());

	it('works out every figure of a compound as DOMAIN.md defines it', async () => {
		const rows = await monthlyAssessment(as('coordinator'), { month: '2030-03' }, policy);
		const nA = rows.find((r) => r.compoundId === d.compounds.nA)!;
		expect(nA).toMatchObject({
			compoundName: 'nA',
			communityId: d.communities.north,
			answers: 5,
			satisfied: 3,
			satisfactionRate: 0.6,
			flagged: false,
			casesDue: 3,
			resolvedOnTime: 1,
			patrolsSubmitted: 3,
			patrolsPlanned: 4,
			patrolCoverage: 0.75,
			openCases: 3,
			overdueCases: 1,
			previousAnswers: 2,
			previousSatisfied: 1,
			previousSatisfactionRate: 0.5,
			rank: 1
		});
		expect(nA.onTimeRate).toBeCloseTo(1 / 3, 10);
		expect(nA.trend).toBeCloseTo(0.1, 10);
	});

	it('a compound without answers has no satisfaction rate, is not flagged and is not ranked', async () => {
		const rows = await monthlyAssessment(as('coordinator'), { month: '2030-03' }, policy);
		expect(rows.map((r) => r.compoundName)).toEqual(['nA', 'nB']);
		expect(rows[1]).toMatchObject({
			satisfactionRate: null,
			onTimeRate: null,
			patrolCoverage: 0,
			openCases: 0,
			overdueCases: 0,
			flagged: false,
			rank: null,
			trend: null
		});
	});

	it('April counts the case closed just after midnight on 1 April, and the next month opens with what March left', async () => {
		const rows = await monthlyAssessment(as('coordinator'), { month: '2030-04' }, policy);
		const nA = rows.find((r) => r.compoundId === d.compounds.nA)!;
		expect(nA).toMatchObject({
			answers: 1,
			satisfied: 0,
			satisfactionRate: 0,
			flagged: true,
			casesDue: 1,
			resolvedOnTime: 1,
			patrolsSubmitted: 1,
			previousAnswers: 5,
			previousSatisfied: 3
		});
		// April is over by `now`: open at its end are the case never resolved and both reported ones.
		expect(nA.openCases).toBe(3);
		expect(nA.overdueCases).toBe(1);
		expect(nA.trend).toBeCloseTo(-0.6, 10);
	});

	it('flags 59.9 % and not 60 % at the default threshold, and follows a configured one', async () => {
		const rows = await monthlyAssessment(as('coordinator'), { month: '2030-06' }, policy);
		const byName = Object.fromEntries(rows.map((r) => [r.compoundName, r]));
		expect(byName.nA).toMatchObject({ answers: 1000, satisfied: 600, satisfactionRate: 0.6, flagged: false });
		expect(byName.nB).toMatchObject({
			answers: 1000,
			satisfied: 599,
			satisfactionRate: 0.599,
			flagged: true
		});
		expect(rows.map((r) => [r.compoundName, r.rank])).toEqual([
			['nA', 1],
			['nB', 2]
		]);
		const stricter = await monthlyAssessment(
			as('coordinator'),
			{ month: '2030-06' },
			{ ...policy, thresholdPercent: 60.1 }
		);
		expect(stricter.every((r) => r.flagged)).toBe(true);
		const looser = await monthlyAssessment(
			as('coordinator'),
			{ month: '2030-06' },
			{ ...policy, thresholdPercent: 59.9 }
		);
		expect(looser.some((r) => r.flagged)).toBe(false);
	});

	it('is scoped: each coordinator sees only their communities; an admin sees all, and filters by community', async () => {
		const south = await monthlyAssessment(as('southCoordinator'), { month: '2030-03' }, policy);
		expect(south.map((r) => [r.compoundName, r.satisfactionRate, r.flagged])).toEqual([['sA', 0, true]]);
		const all = await monthlyAssessment(as('admin'), { month: '2030-03' }, policy);
		expect(all.map((r) => r.compoundName).sort()).toEqual(['nA', 'nB', 'sA']);
		const north = await monthlyAssessment(
			as('admin'),
			{ month: '2030-03', communityId: d.communities.north },
			policy
		);
		expect(north.map((r) => r.compoundName)).toEqual(['nA', 'nB']);
		const refused = await monthlyAssessment(
			as('southCoordinator'),
			{ month: '2030-03', communityId: d.communities.north },
			policy
		);
		expect(refused).toEqual([]);
	});

	it('drills down to the surveys and cases behind each figure, within scope only', async () => {
		const detail = await assessmentDetail(as('coordinator'), d.compounds.nA, '2030-03');
		expect(detail!.surveys.map((s) => s.overall).sort()).toEqual([3, 4, 5]);
		expect(detail!.answers.map((a) => [a.satisfaction, a.closedAt])).toEqual([
			[4, '2030-03-10T02:00:00.000Z'],
			[2, '2030-03-31T15:30:00.000Z']
		]);
		expect(detail!.due.map((c) => [c.status, c.onTime])).toEqual([
			['closed', true],
			['resolved', false],
			['in_progress', false]
		]);
		expect(detail!.open.map((c) => [c.status, c.overdue])).toEqual([
			['in_progress', true],
			['closed', false],
			['reported', false]
		]);
		expect(detail!.patrols).toHaveLength(3);
		expect(await assessmentDetail(as('southCoordinator'), d.compounds.nA, '2030-03')).toBeNull();
	});
});
