import { describe, expect, it } from 'vitest';
import { compoundsWithin, gridsWithin, placeChosen } from './review';

const compounds = [
	{ id: 'k1', communityId: 'north' },
	{ id: 'k2', communityId: 'north' },
	{ id: 'k3', communityId: 'south' }
];
const grids = [
	{ id: 'g1', communityId: 'north', compoundIds: ['k1'] },
	{ id: 'g2', communityId: 'north', compoundIds: ['k2'] },
	{ id: 'g3', communityId: 'south', compoundIds: ['k3'] }
];
const ids = (list: { id: string }[]) => list.map((x) => x.id);

describe('the review pages’ place filters', () => {
	it('offer the compounds and grids of the chosen community and compound, all when none is chosen', () => {
		expect(ids(compoundsWithin(compounds, {}))).toEqual(['k1', 'k2', 'k3']);
		expect(ids(compoundsWithin(compounds, { communityId: 'north' }))).toEqual(['k1', 'k2']);
		expect(ids(gridsWithin(grids, { communityId: 'north' }))).toEqual(['g1', 'g2']);
		expect(ids(gridsWithin(grids, { communityId: 'north', compoundId: 'k2' }))).toEqual(['g2']);
	});

	it('clear the narrower choices when a wider place is chosen anew, and keep the wider ones', () => {
		const chosen = { communityId: 'north', compoundId: 'k1', gridId: 'g1', status: 'open' };
		expect(placeChosen(chosen, 'communityId', 'south', '')).toEqual({
			communityId: 'south',
			compoundId: '',
			gridId: '',
			status: 'open'
		});
		const optional: { communityId?: string; compoundId?: string; gridId?: string } = chosen;
		expect(placeChosen(optional, 'compoundId', 'k2', undefined)).toEqual({
			communityId: 'north',
			compoundId: 'k2',
			gridId: undefined,
			status: 'open'
		});
		expect(placeChosen(chosen, 'gridId', 'g9', '')).toMatchObject({
			communityId: 'north',
			compoundId: 'k1',
			gridId: 'g9'
		});
	});
});
