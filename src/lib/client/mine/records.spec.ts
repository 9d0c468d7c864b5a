import { describe, expect, it } from 'vitest';
import {
	dayBound,
	filterRows,
	newestFirst,
	noFilter,
	recordState,
	refusedFor,
	stateCounts,
	toRow,
	type MineCollection,
	type RowWords
} from './records';

const words: RowWords = {
	title: (collection, record) =>
		`${collection}:${String(record.subtype ?? record.kind ?? record.purpose ?? '')}`,
	place: (record) => (record.buildingId === 'b1' ? '3号楼' : '')
};

function row(collection: MineCollection, record: Record<string, unknown>, pending = new Set<string>()) {
	return toRow(collection, record, words, pending, new Map([['refused', 'Not your grid']]));
}

const rows = [
	row('observation', {
		id: 'o1',
		subtype: 'parking.fire_lane_blocked',
		note: 'Red car',
		buildingId: 'b1',
		observedAt: '2026-11-20T10:00:00Z'
	}),
	row(
		'feedback',
		{ id: 'f1', kind: 'complaint', text: 'Noise at night', receivedAt: '2026-11-22T10:00:00Z' },
		new Set(['f1'])
	),
	row('visit', {
		id: 'refused',
		purpose: 'routine',
		summary: 'Met the family',
		visitedAt: '2026-11-24T10:00:00Z'
	}),
	row('patrol', { id: 'p1', status: 'submitted', startedAt: '2026-11-18T10:00:00Z' })
].sort(newestFirst);

describe('recordState', () => {
	it('says needs attention over saved on this device, and synced otherwise', () => {
		const pending = new Set(['a', 'b']);
		const refused = new Map([['b', 'no']]);
		expect(recordState('a', pending, refused)).toBe('pending');
		expect(recordState('b', pending, refused)).toBe('attention');
		expect(recordState('c', pending, refused)).toBe('synced');
	});
});

describe('toRow', () => {
	it('takes the time, the words and the reason of each type', () => {
		const visit = rows.find((r) => r.id === 'refused');
		expect(visit).toMatchObject({ at: '2026-11-24T10:00:00Z', text: 'Met the family', state: 'attention' });
		expect(visit?.reason).toBe('Not your grid');
		expect(rows.find((r) => r.id === 'p1')?.text).toBe('');
	});
});

describe('newestFirst', () => {
	it('puts the latest record first', () => {
		expect(rows.map((r) => r.id)).toEqual(['refused', 'f1', 'o1', 'p1']);
	});
});

describe('filterRows', () => {
	it('lets everything through with no filter', () => {
		expect(filterRows(rows, noFilter)).toHaveLength(4);
	});

	it('filters by type and by state', () => {
		expect(filterRows(rows, { ...noFilter, collection: 'feedback' }).map((r) => r.id)).toEqual(['f1']);
		expect(filterRows(rows, { ...noFilter, state: 'attention' }).map((r) => r.id)).toEqual(['refused']);
		expect(filterRows(rows, { ...noFilter, state: 'synced' }).map((r) => r.id)).toEqual(['o1', 'p1']);
	});

	it('searches the note, the text, the label and the building, case-insensitively, every word', () => {
		expect(filterRows(rows, { ...noFilter, search: 'red' }).map((r) => r.id)).toEqual(['o1']);
		expect(filterRows(rows, { ...noFilter, search: 'NOISE' }).map((r) => r.id)).toEqual(['f1']);
		expect(filterRows(rows, { ...noFilter, search: '3号楼' }).map((r) => r.id)).toEqual(['o1']);
		expect(filterRows(rows, { ...noFilter, search: 'fire_lane car' }).map((r) => r.id)).toEqual(['o1']);
		expect(filterRows(rows, { ...noFilter, search: 'fire_lane noise' })).toEqual([]);
		expect(filterRows(rows, { ...noFilter, search: '   ' })).toHaveLength(4);
	});

	it('keeps the records from the first day to the end of the last', () => {
		const from = Date.parse('2026-11-20T00:00:00Z');
		const until = Date.parse('2026-11-23T00:00:00Z');
		expect(filterRows(rows, { ...noFilter, from, until }).map((r) => r.id)).toEqual(['f1', 'o1']);
		expect(filterRows(rows, { ...noFilter, from }).map((r) => r.id)).toEqual(['refused', 'f1', 'o1']);
	});
});

describe('dayBound', () => {
	it('is local midnight of the day, or of the day after for the end of a range', () => {
		expect(dayBound('2026-11-25')).toBe(new Date(2026, 10, 25).getTime());
		expect(dayBound('2026-11-30', true)).toBe(new Date(2026, 11, 1).getTime());
		expect(dayBound('')).toBeNull();
		expect(dayBound('25/11/2026')).toBeNull();
	});
});

describe('stateCounts and refusedFor', () => {
	it('counts each state', () => {
		expect(stateCounts(rows)).toEqual({ pending: 1, synced: 2, attention: 1 });
	});

	it('keeps the refusals of one collection, by record', () => {
		const entries = [
			{ collection: 'visit' as const, recordId: 'v1', message: 'A' },
			{ collection: 'observation' as const, recordId: 'o1', message: 'B' }
		];
		expect([...refusedFor(entries, 'visit')]).toEqual([['v1', 'A']]);
	});
});
