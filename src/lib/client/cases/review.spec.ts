import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Grid, Team, User } from '$lib/domain';
import { newRecordId } from '../ids';
import { deleteTestDbs, signedInDevice } from '../testing/devices';
import { caseRecord, communityId, compound, coordinator } from '../testing/fixtures';
import { assignCases, bulkChoices, filterReviewCases, readReviewCaseFilter, readReviewCases } from './review';

afterEach(deleteTestDbs);

const now = new Date('2026-03-02T08:00:00.000Z');
const square: Grid['boundary'] = {
	type: 'Polygon',
	coordinates: [
		[
			[116.98, 33.63],
			[116.99, 33.63],
			[116.99, 33.64],
			[116.98, 33.63]
		]
	]
};
const leader: User = {
	id: newRecordId(),
	username: 'zhang',
	displayName: '张伟',
	role: 'grid_leader',
	gridIds: [],
	communityIds: [],
	active: true
};
const grid: Grid = {
	id: newRecordId(),
	communityId,
	compoundIds: [compound.id],
	name: '一网格',
	boundary: square,
	leaderUserId: leader.id
};
const team: Team = { id: newRecordId(), name: '红马甲服务队', communityIds: [communityId] };

describe("the coordinators' case table", () => {
	it('assigns several cases at once: a reported one is triaged first, an assigned one is reassigned, a resolved one is left', async () => {
		const db = await signedInDevice();
		await db.grid.put(grid);
		await db.user.put(leader);
		await db.team.put(team);
		const reported = caseRecord({
			status: 'reported',
			category: 'safety',
			gridId: grid.id,
			assigneeId: null
		});
		const triaged = caseRecord({ status: 'triaged', gridId: grid.id, assigneeId: null });
		const working = caseRecord({ status: 'in_progress', gridId: grid.id, assigneeId: coordinator.id });
		const resolved = caseRecord({ status: 'resolved', gridId: grid.id });
		await db.case.bulkPut([reported, triaged, working, resolved]);

		const result = await assignCases(db, [reported, triaged, working, resolved], leader.id, team.id);

		expect(result).toEqual({ assigned: [reported.id, triaged.id, working.id], skipped: [resolved.id] });
		const after = new Map((await db.case.toArray()).map((c) => [c.id, c]));
		expect(after.get(reported.id)).toMatchObject({
			status: 'assigned',
			assigneeId: leader.id,
			teamId: team.id
		});
		// Triage set the due date from the service level: 24 hours for safety.
		expect(after.get(reported.id)?.dueAt).toBeTruthy();
		expect(after.get(triaged.id)).toMatchObject({ status: 'assigned', assigneeId: leader.id });
		expect(after.get(working.id)).toMatchObject({ status: 'in_progress', assigneeId: leader.id });
		expect(after.get(resolved.id)).toEqual(resolved);
		const queued = (await db.outbox.orderBy('id').toArray()).map((m) => [m.name, m.recordId]);
		expect(queued).toEqual([
			['case.transition', reported.id],
			['case.transition', reported.id],
			['case.assign', reported.id],
			['case.transition', triaged.id],
			['case.assign', triaged.id],
			['case.assign', working.id]
		]);
	});

	it('filters by place and offers only who can take every chosen case', async () => {
		const db = await signedInDevice();
		await db.grid.put(grid);
		await db.user.bulkPut([leader]);
		const inGrid = caseRecord({ status: 'triaged', gridId: grid.id, assigneeId: null });
		const elsewhere = caseRecord({ status: 'triaged', compoundId: newRecordId(), assigneeId: null });
		await db.case.bulkPut([inGrid, elsewhere]);

		const held = await readReviewCases(db, now);
		const filter = readReviewCaseFilter(new URLSearchParams(`gridId=${grid.id}&unassigned=1`));
		expect(filterReviewCases(held.rows, filter, coordinator.id).map((r) => r.id)).toEqual([inGrid.id]);
		const both = held.rows.filter((r) => [inGrid.id, elsewhere.id].includes(r.id));
		const one = held.rows.filter((r) => r.id === inGrid.id);
		expect(bulkChoices(one, [leader], [grid], [team]).people.map((p) => p.id)).toEqual([leader.id]);
		expect(bulkChoices(one, [leader], [grid], [team]).teams).toEqual([team]);
		// The other case's compound is not on the device: no one is known to work there.
		expect(bulkChoices(both, [leader], [grid], [team]).people).toEqual([]);
	});
});
