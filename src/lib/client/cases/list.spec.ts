import { describe, expect, it } from 'vitest';
import { caseRecord, compound } from '../testing/fixtures';
import {
	caseFilterParams,
	filterCases,
	isFiltered,
	noCaseFilter,
	openCaseRows,
	readCaseFilter,
	type PlaceNames
} from './list';

const names: PlaceNames = {
	compounds: new Map([[compound.id, '幸福小区']]),
	grids: new Map([['0192a000-0000-7000-8000-000000000001', '一网格']])
};
const now = new Date('2026-03-05T12:00:00.000Z');
const me = '0192a000-0000-7000-8000-0000000000aa';

describe('the cases list', () => {
	const overdue = caseRecord({
		title: '路灯不亮',
		status: 'assigned',
		priority: 'low',
		dueAt: '2026-03-04T00:00:00.000Z'
	});
	const urgent = caseRecord({
		title: '消防通道堵塞',
		status: 'triaged',
		priority: 'urgent',
		createdAt: '2026-03-01T00:00:00.000Z'
	});
	const newer = caseRecord({
		title: '垃圾桶满了',
		status: 'reported',
		priority: 'normal',
		createdAt: '2026-03-04T00:00:00.000Z',
		assigneeId: me
	});
	const older = caseRecord({
		title: '垃圾乱堆',
		status: 'reported',
		priority: 'normal',
		createdAt: '2026-03-02T00:00:00.000Z',
		category: 'sanitation',
		gridId: '0192a000-0000-7000-8000-000000000001'
	});
	const closed = caseRecord({ title: '已办结', status: 'closed' });
	const refusedClosed = caseRecord({ title: '被退回', status: 'rejected', priority: 'low' });
	const resolved = caseRecord({
		title: '已修好',
		status: 'resolved',
		priority: 'urgent',
		dueAt: '2026-03-04T00:00:00.000Z'
	});
	const records = [older, closed, resolved, newer, urgent, overdue, refusedClosed];

	it('holds the open cases: a refused one first, then overdue, then work owed by priority and age, then work done', () => {
		const rows = openCaseRows(records, names, now, new Set(), new Set([refusedClosed.id]));
		expect(rows.map((r) => r.title)).toEqual([
			'被退回',
			'路灯不亮',
			'消防通道堵塞',
			'垃圾桶满了',
			'垃圾乱堆',
			'已修好'
		]);
		// Resolved: no more work is owed, so its passed due date does not count.
		expect(rows.at(-1)?.overdue).toBe(false);
		expect(rows[1].overdue).toBe(true);
		expect(rows[0].attention).toBe(true);
	});

	it('says where a case sits and whether it waits to sync', () => {
		const rows = openCaseRows([older], names, now, new Set([older.id]), new Set());
		expect(rows[0]).toMatchObject({ place: '幸福小区 · 一网格', pending: true, attention: false });
	});

	it('filters by status, category, assignee, overdue and the words of the title', () => {
		const rows = openCaseRows(records, names, now, new Set(), new Set());
		const only = (filter: Partial<typeof noCaseFilter>) =>
			filterCases(rows, { ...noCaseFilter, ...filter }, me).map((r) => r.title);
		expect(only({ status: 'reported' })).toEqual(['垃圾桶满了', '垃圾乱堆']);
		expect(only({ status: 'resolved' })).toEqual(['已修好']);
		expect(only({ category: 'sanitation' })).toEqual(['垃圾乱堆']);
		expect(only({ mine: true })).toEqual(['垃圾桶满了']);
		expect(only({ overdue: true })).toEqual(['路灯不亮']);
		expect(only({ search: '垃圾 桶' })).toEqual(['垃圾桶满了']);
		expect(only({ search: 'xyz' })).toEqual([]);
		expect(only({})).toHaveLength(5);
	});

	it('keeps the filters in the address and reads them back, ignoring what it does not know', () => {
		const filter = {
			status: 'triaged',
			category: 'safety',
			mine: true,
			overdue: true,
			search: '路灯'
		} as const;
		const params = new URLSearchParams(caseFilterParams(filter));
		expect(params.toString()).toBe('status=triaged&category=safety&mine=1&overdue=1&q=%E8%B7%AF%E7%81%AF');
		expect(readCaseFilter(params)).toEqual(filter);
		expect(readCaseFilter(new URLSearchParams('status=closed&category=weather&mine=yes'))).toEqual(
			noCaseFilter
		);
		expect(caseFilterParams(noCaseFilter)).toEqual({});
		expect(isFiltered(noCaseFilter)).toBe(false);
		expect(isFiltered({ ...noCaseFilter, overdue: true })).toBe(true);
	});
});
