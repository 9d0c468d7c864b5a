import { describe, expect, it } from 'vitest';
import type { ChecklistTemplate } from '$lib/domain';
import { blankChoice, blankItem, draftOf, editorOf, editorProblems, moved } from './editor';

const template: ChecklistTemplate = {
	id: '00000000-0000-7000-8000-000000000001',
	version: 3,
	title: { zh: '夜间停车巡查', en: 'Evening parking patrol' },
	items: [
		{
			key: 'fire_lane_clear',
			label: { zh: '消防通道畅通', en: 'Fire lane clear' },
			type: 'yes_no',
			required: true,
			failWhen: false,
			spawns: 'parking.fire_lane_blocked'
		},
		{
			key: 'ebikes',
			label: { zh: '电动车数量', en: 'E-bikes' },
			type: 'count',
			required: true,
			failWhen: { atLeast: 5 },
			spawns: 'parking.ebike_outside_bay'
		},
		{
			key: 'green',
			label: { zh: '绿地停车', en: 'Cars on the green' },
			type: 'choice',
			required: true,
			choices: [
				{ value: 'none', label: { zh: '无', en: 'None' } },
				{ value: 'many', label: { zh: '很多', en: 'Many' } }
			],
			failWhen: ['many'],
			spawns: 'parking.car_on_green'
		},
		{ key: 'notes', label: { zh: '说明', en: 'Remarks' }, type: 'text', required: false }
	]
};

describe('the checklist editor', () => {
	it('gives back the template it opened, unchanged, and finds nothing wrong with it', () => {
		const state = editorOf(template);
		expect(draftOf(state)).toEqual({ title: template.title, items: template.items });
		expect(editorProblems(state, 3).size).toBe(0);
	});

	it('a new item has a key no other item has; a new checklist starts with one blank item', () => {
		const state = editorOf(template);
		const added = blankItem(state.items);
		expect(state.items.map((i) => i.key)).not.toContain(added.key);
		const fresh = editorOf();
		expect(fresh.items).toHaveLength(1);
		expect(editorProblems(fresh, null)).toEqual(
			new Map([
				['title.zh', { key: 'checklists.problem.textMissing', params: {} }],
				['title.en', { key: 'checklists.problem.textMissing', params: {} }],
				['items.0.label.zh', { key: 'checklists.problem.textMissing', params: {} }],
				['items.0.label.en', { key: 'checklists.problem.textMissing', params: {} }]
			])
		);
	});

	it('an item switched to text sends no choices, failing answer or problem; switched to choice it asks for choices', () => {
		const state = editorOf(template);
		state.items[0].type = 'text';
		expect(draftOf(state).items[0]).toEqual({
			key: 'fire_lane_clear',
			label: template.items[0].label,
			type: 'text',
			required: true
		});
		state.items[0].type = 'choice';
		expect(editorProblems(state, 3).get('items.0.choices')).toEqual({
			key: 'checklists.problem.choicesMissing',
			params: {}
		});
		state.items[0].choices = [blankChoice(state.items[0])];
		state.items[0].choices.push(blankChoice(state.items[0]));
		expect(new Set(state.items[0].choices.map((c) => c.value)).size).toBe(2);
	});

	it('a failing choice follows its choice when the choice code changes, and names a duplicate key', () => {
		const state = editorOf(template);
		state.items[2].choices[1].value = 'lots';
		expect(draftOf(state).items[2].failWhen).toEqual(['lots']);
		state.items[3].key = 'ebikes';
		expect(editorProblems(state, 3).get('items.3.key')).toMatchObject({
			key: 'checklists.problem.keyDuplicate',
			params: { key: 'ebikes' }
		});
	});

	it('moves an item up and down within the list', () => {
		expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
		expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
		expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
	});
});
