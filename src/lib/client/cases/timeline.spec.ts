import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '$lib/domain';
import { newRecordId } from '../ids';
import { assembleTimeline, type QueuedMutation } from './timeline';

const caseId = newRecordId();
const me = newRecordId();
const coordinator = newRecordId();

function event(overrides: Partial<CaseEvent>): CaseEvent {
	return {
		id: newRecordId(),
		caseId,
		kind: 'comment',
		body: null,
		from: null,
		to: null,
		photos: [],
		at: '2026-03-01T08:00:00.000Z',
		by: coordinator,
		...overrides
	};
}

describe('a case timeline', () => {
	it('orders the server events by time, then what waits on the device in the order it was saved', () => {
		const opened = event({ kind: 'transition', to: 'reported', at: '2026-03-01T08:00:00.000Z' });
		const triaged = event({
			kind: 'transition',
			from: 'reported',
			to: 'triaged',
			at: '2026-03-01T09:00:00.000Z'
		});
		const comment = event({ body: '已到现场', at: '2026-03-01T10:00:00.000Z', by: me });
		const other = event({ caseId: newRecordId(), body: '别的案件' });
		const queued: QueuedMutation[] = [
			{
				id: 7,
				name: 'case.transition',
				args: { id: caseId, from: 'triaged', to: 'assigned', assigneeId: me },
				clientTime: '2026-03-01T09:30:00.000Z',
				recordId: caseId
			},
			{
				id: 6,
				name: 'caseEvent.add',
				args: { id: comment.id },
				clientTime: '2026-03-01T10:00:00.000Z',
				recordId: comment.id
			},
			{
				id: 8,
				name: 'case.transition',
				args: { id: caseId, from: 'assigned', to: 'resolved', resolution: '已清理' },
				clientTime: '2026-03-01T11:00:00.000Z',
				recordId: caseId
			},
			{
				id: 9,
				name: 'case.transition',
				args: { id: newRecordId(), from: 'reported', to: 'triaged' },
				clientTime: '2026-03-01T11:00:00.000Z',
				recordId: 'x'
			}
		];
		const timeline = assembleTimeline(caseId, [comment, triaged, other, opened], queued, me);
		expect(timeline.map((e) => [e.kind, e.to, e.body, e.pending])).toEqual([
			['transition', 'reported', null, false],
			['transition', 'triaged', null, false],
			['comment', null, '已到现场', true],
			['transition', 'assigned', null, true],
			['transition', 'resolved', '已清理', true]
		]);
		expect(timeline[3]).toMatchObject({ key: 'pending-7', by: me, from: 'triaged', assigneeId: me });
	});

	it('shows a queued assignment as an assignment step', () => {
		const queued: QueuedMutation[] = [
			{
				id: 1,
				name: 'case.assign',
				args: { id: caseId, assigneeId: coordinator, teamId: null },
				clientTime: '2026-03-01T09:30:00.000Z',
				recordId: caseId
			}
		];
		expect(assembleTimeline(caseId, [], queued, me)).toEqual([
			expect.objectContaining({
				kind: 'assignment',
				assigneeId: coordinator,
				pending: true,
				from: null,
				to: null
			})
		]);
	});
});
