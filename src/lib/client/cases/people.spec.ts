import { describe, expect, it } from 'vitest';
import type { Grid, Team, User } from '$lib/domain';
import { newRecordId } from '../ids';
import { assigneeChoices, teamChoices } from './people';

const communityId = newRecordId();
const compoundId = newRecordId();
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

function person(overrides: Partial<User>): User {
	return {
		id: newRecordId(),
		username: `u${Math.random().toString(36).slice(2, 8)}`,
		displayName: '某人',
		role: 'grid_leader',
		gridIds: [],
		communityIds: [],
		active: true,
		...overrides
	};
}

describe('who a case can go to', () => {
	const zhang = person({ displayName: '张伟' });
	const li = person({ displayName: '李娜' });
	const elsewhere = person({ displayName: '王芳' });
	const coordinator = person({ displayName: '陈静', role: 'coordinator', communityIds: [communityId] });
	const retired = person({ displayName: '赵磊', active: false });
	const volunteer = person({ displayName: '刘洋', role: 'volunteer', communityIds: [communityId] });
	const grid: Grid = {
		id: newRecordId(),
		communityId,
		compoundIds: [compoundId],
		name: '一网格',
		boundary: square,
		leaderUserId: zhang.id
	};
	const other: Grid = {
		id: newRecordId(),
		communityId,
		compoundIds: [newRecordId()],
		name: '二网格',
		boundary: square,
		leaderUserId: elsewhere.id
	};
	// A leader may look after a grid through `gridIds` as well as by leading it.
	const helper = { ...li, gridIds: [grid.id] };
	const users = [
		coordinator,
		elsewhere,
		retired,
		volunteer,
		helper,
		zhang,
		{ ...retired, gridIds: [grid.id] }
	];

	it('offers the active leaders of the case’s grid first, then coordinators of its community', () => {
		const place = { communityId, compoundId, gridId: grid.id };
		expect(assigneeChoices(users, [grid, other], place, 'zh-CN').map((u) => u.displayName)).toEqual([
			'李娜',
			'张伟',
			'陈静'
		]);
	});

	it('reads a case without a grid by the compounds the leaders’ grids cover', () => {
		const place = { communityId, compoundId, gridId: null };
		expect(assigneeChoices(users, [grid, other], place, 'zh-CN').map((u) => u.displayName)).toEqual([
			'李娜',
			'张伟',
			'陈静'
		]);
		const away = { communityId: newRecordId(), compoundId: newRecordId() };
		expect(assigneeChoices(users, [grid, other], away, 'zh-CN')).toEqual([]);
	});

	it('offers the teams that serve the community', () => {
		const serving: Team = { id: newRecordId(), name: '红马甲', communityIds: [communityId] };
		const far: Team = { id: newRecordId(), name: '蓝天', communityIds: [newRecordId()] };
		expect(teamChoices([far, serving], { communityId, compoundId })).toEqual([serving]);
	});
});
