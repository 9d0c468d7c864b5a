import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everywhere, trendWeeks } from '$lib/domain';
import type { Db } from '$lib/server/db';
import { dashboard } from '$lib/server/reports/dashboard';
import type { ReportContext } from '$lib/server/reports/where';
import { databaseKinds, type TestDatabase } from './databases';
import { timeZone, writer } from './review-fixtures';
import { seedDistrict, type District } from './sync-fixtures';

/**
 * The review dashboard against a fixture counted by hand, on PGlite and PostgreSQL. "Now" is Friday
 * 10 May 2030, 12:00 in the district (UTC+8); its week began on Monday 6 May.
 */
describe.each(databaseKinds)('review dashboard on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	const now = new Date('2030-05-10T04:00:00Z');
	const as = (person: 'coordinator' | 'admin' | 'southCoordinator'): ReportContext => ({
		db,
		scope: person === 'admin' ? everywhere : d.actors[person].scope,
		timeZone,
		now
	});
	const may = { from: '2030-05-01', to: '2030-05-10' };

	beforeAll(async () => {
		database = await open();
		db = database.db;
		d = await seedDistrict(db);
		const w = writer(db, d);
		await w.observation('nA', '2030-05-06T02:00:00Z');
		await w.observation('nA', '2030-05-07T02:00:00Z', { category: 'sanitation' });
		// 00:30 on 1 May local time: inside May, in the week of 29 April.
		await w.observation('nA', '2030-04-30T16:30:00Z');
		await w.observation('nA', '2030-05-06T03:00:00Z', { deleted: true });
		await w.observation('nA', '2030-01-01T02:00:00Z');
		await w.observation('nB', '2030-05-08T02:00:00Z', { category: 'safety' });
		await w.observation('sA', '2030-05-08T02:00:00Z');
		await w.case('nA', {
			status: 'reported',
			createdAt: '2030-05-06T02:00:00Z',
			dueAt: '2030-05-07T00:00:00Z'
		});
		await w.case('nA', {
			status: 'resolved',
			createdAt: '2030-05-02T02:00:00Z',
			dueAt: '2030-05-04T02:00:00Z',
			resolvedAt: '2030-05-03T02:00:00Z'
		});
		await w.case('nB', {
			status: 'in_progress',
			category: 'safety',
			createdAt: '2030-05-08T02:00:00Z',
			dueAt: '2030-05-12T02:00:00Z'
		});
		await w.case('nA', {
			status: 'assigned',
			category: 'sanitation',
			title: 'bins overflowing since January',
			createdAt: '2030-01-10T02:00:00Z',
			dueAt: '2030-01-12T02:00:00Z'
		});
		await w.case('sA', {
			status: 'reported',
			createdAt: '2030-05-08T02:00:00Z',
			dueAt: '2030-05-09T02:00:00Z'
		});
	});
	afterAll(() => database.drop());

	it('counts by status, category and compound within the chosen dates and the coordinator’s communities', async () => {
		const board = await dashboard(as('coordinator'), may);
		expect(board.totals).toEqual({ observations: 4, cases: 3, open: 3, overdue: 2 });
		expect(board.observationsByCategory).toEqual([
			{ category: 'parking', count: 2 },
			{ category: 'safety', count: 1 },
			{ category: 'sanitation', count: 1 }
		]);
		expect(board.casesByStatus).toEqual([
			{ status: 'in_progress', count: 1 },
			{ status: 'reported', count: 1 },
			{ status: 'resolved', count: 1 }
		]);
		expect(board.casesByCategory).toEqual([
			{ category: 'parking', count: 2 },
			{ category: 'safety', count: 1 }
		]);
		expect(board.byCompound).toEqual([
			{ compoundId: d.compounds.nA, compoundName: 'nA', cases: 2, open: 1, observations: 3 },
			{ compoundId: d.compounds.nB, compoundName: 'nB', cases: 1, open: 1, observations: 1 }
		]);
	});

	it('lists the cases overdue now, oldest due first, and the compounds with the most open cases', async () => {
		const board = await dashboard(as('coordinator'), may);
		expect(board.overdue.map((c) => [c.title, c.status, c.compoundName, c.dueAt])).toEqual([
			['bins overflowing since January', 'assigned', 'nA', '2030-01-12T02:00:00.000Z'],
			[expect.any(String), 'reported', 'nA', '2030-05-07T00:00:00.000Z']
		]);
		expect(board.mostOpen).toEqual([
			{ compoundId: d.compounds.nA, compoundName: 'nA', open: 2, overdue: 2 },
			{ compoundId: d.compounds.nB, compoundName: 'nB', open: 1, overdue: 0 }
		]);
	});

	it('draws 12 local weeks, Monday first, ending with the week of the last chosen day', async () => {
		const board = await dashboard(as('coordinator'), may);
		expect(board.trend).toHaveLength(trendWeeks);
		expect(board.trend[0].week).toBe('2030-02-18');
		expect(board.trend.at(-1)).toEqual({ week: '2030-05-06', observations: 3, opened: 2, resolved: 0 });
		expect(board.trend.at(-2)).toEqual({ week: '2030-04-29', observations: 1, opened: 1, resolved: 1 });
		expect(board.trend.slice(0, -2).every((w) => w.observations + w.opened + w.resolved === 0)).toBe(true);
	});

	it('the filters change the figures: compound, grid, dates; no dates means the last 12 weeks', async () => {
		const nB = await dashboard(as('coordinator'), { ...may, compoundId: d.compounds.nB });
		expect(nB.totals).toEqual({ observations: 1, cases: 1, open: 1, overdue: 0 });
		const grid = await dashboard(as('coordinator'), { ...may, gridId: d.grids.gNA });
		expect(grid.totals).toEqual({ observations: 3, cases: 2, open: 2, overdue: 2 });
		const january = await dashboard(as('coordinator'), { from: '2030-01-01', to: '2030-01-31' });
		expect(january.totals).toMatchObject({ observations: 1, cases: 1 });
		const recent = await dashboard(as('coordinator'), {});
		expect(recent).toMatchObject({ from: '2030-02-16', to: '2030-05-10' });
		expect(recent.totals).toEqual({ observations: 4, cases: 3, open: 3, overdue: 2 });
	});

	it('an admin sees every community; a coordinator asking for another community gets nothing from it', async () => {
		const all = await dashboard(as('admin'), may);
		expect(all.totals).toEqual({ observations: 5, cases: 4, open: 4, overdue: 3 });
		expect(all.places.compounds.map((c) => c.name)).toEqual(['nA', 'nB', 'sA']);
		const coordinator = await dashboard(as('coordinator'), may);
		expect(coordinator.places.compounds.map((c) => c.name)).toEqual(['nA', 'nB']);
		expect(coordinator.places.grids.find((g) => g.id === d.grids.gNA)?.compoundIds).toEqual([d.compounds.nA]);
		const refused = await dashboard(as('southCoordinator'), { ...may, communityId: d.communities.north });
		expect(refused.totals).toEqual({ observations: 0, cases: 0, open: 0, overdue: 0 });
	});
});
