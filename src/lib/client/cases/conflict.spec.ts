import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '$lib/domain';
import type { RejectedEntry } from '../db';
import { newRecordId } from '../ids';
import { caseRecord } from '../testing/fixtures';
import { describeConflict, staleMovesOf } from './conflict';
import { assembleTimeline } from './timeline';

const coordinator = newRecordId();
const me = newRecordId();

describe('a move someone else overtook', () => {
	const current = caseRecord({ status: 'triaged', updatedAt: '2026-03-01T09:00:00.000Z' });
	const refusal: RejectedEntry = {
		id: 12,
		mutation: {
			id: 12,
			name: 'case.transition',
			args: { id: current.id, from: 'reported', to: 'rejected', reason: '不属于物业' },
			clientTime: '2026-03-01T09:10:00.000Z'
		},
		collection: 'case',
		recordId: current.id,
		code: 'STALE_TRANSITION',
		message: '这个案件已被他人处理',
		current,
		at: '2026-03-01T09:20:00.000Z'
	};
	const events: CaseEvent[] = [
		{
			id: newRecordId(),
			caseId: current.id,
			kind: 'transition',
			from: null,
			to: 'reported',
			photos: [],
			at: '2026-03-01T08:00:00.000Z',
			by: me
		},
		{
			id: newRecordId(),
			caseId: current.id,
			kind: 'transition',
			from: 'reported',
			to: 'triaged',
			photos: [],
			at: '2026-03-01T09:00:00.000Z',
			by: coordinator
		}
	];
	const timeline = assembleTimeline(current.id, events, [], me);

	it('is found among the refusals of the case', () => {
		const other: RejectedEntry = { ...refusal, id: 13, code: 'FORBIDDEN' };
		const elsewhere: RejectedEntry = { ...refusal, id: 14, recordId: newRecordId() };
		expect(staleMovesOf([other, refusal, elsewhere], current.id)).toEqual([refusal]);
	});

	it('says who moved the case from the status the person saw, and offers the move again from where it is', () => {
		const conflict = describeConflict(refusal, timeline, current, ['assigned', 'duplicate', 'rejected']);
		expect(conflict).toMatchObject({
			rejectedId: 12,
			now: 'triaged',
			steps: [{ from: 'reported', to: 'triaged', by: coordinator, at: '2026-03-01T09:00:00.000Z' }],
			retry: { id: current.id, from: 'triaged', to: 'rejected', reason: '不属于物业' },
			alreadyThere: false
		});
	});

	it('offers no retry when the move cannot be made from the current status', () => {
		const conflict = describeConflict(refusal, timeline, { ...current, status: 'rejected' }, []);
		expect(conflict.retry).toBeNull();
		expect(conflict.alreadyThere).toBe(true);
	});

	it('falls back to the refusal copy of the case before the events reach the device', () => {
		const conflict = describeConflict(refusal, [], undefined, ['rejected']);
		expect(conflict.now).toBe('triaged');
		expect(conflict.steps).toEqual([{ from: 'reported', to: 'triaged', by: null, at: refusal.at }]);
		expect(conflict.retry?.from).toBe('triaged');
	});
});
