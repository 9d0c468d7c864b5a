import { describe, expect, it } from 'vitest';
import { catalogs } from '$lib/i18n';
import { templateDraft, templateProblemCodes, templateProblems, templateRevision } from './checklist';
import type { ChecklistItem } from './records';

const item = (fields: Partial<ChecklistItem> = {}): ChecklistItem => ({
	key: 'lane_clear',
	label: { zh: '消防通道畅通', en: 'Fire lane clear' },
	type: 'yes_no',
	required: true,
	failWhen: false,
	spawns: 'parking.fire_lane_blocked',
	...fields
});
const choices = [
	{ value: 'none', label: { zh: '无', en: 'None' } },
	{ value: 'many', label: { zh: '很多', en: 'Many' } }
];
const draft = (items: unknown[], title = { zh: '夜间巡查', en: 'Night patrol' }) => ({ title, items });

/** The problems of a draft as `path → code`, or an empty object when it is valid. */
function problemsOf(body: unknown, schema: typeof templateDraft | typeof templateRevision = templateDraft) {
	const parsed = schema.safeParse(body);
	if (parsed.success) return {};
	return Object.fromEntries(templateProblems(parsed.error).map((p) => [p.path, p.code]));
}

describe('a checklist template as a coordinator writes it', () => {
	it('takes a template with one item of each type, each with a failing answer that fits it', () => {
		const good = draft([
			item(),
			item({ key: 'ebikes', type: 'count', failWhen: { atLeast: 5 }, spawns: 'parking.ebike_outside_bay' }),
			item({ key: 'green', type: 'choice', choices, failWhen: ['many'], spawns: 'parking.car_on_green' }),
			item({ key: 'notes', type: 'text', required: false, failWhen: undefined, spawns: undefined }),
			item({ key: 'shelter', type: 'photo', required: false, failWhen: undefined, spawns: undefined })
		]);
		expect(problemsOf(good)).toEqual({});
		expect(templateDraft.parse(good).items).toHaveLength(5);
	});

	it('names a choice item without choices, or with one, and choices on an item that is not a choice', () => {
		expect(problemsOf(draft([item({ type: 'choice', failWhen: undefined, spawns: undefined })]))).toEqual({
			'items.0.choices': 'choicesMissing'
		});
		expect(
			problemsOf(draft([item({ type: 'choice', choices: choices.slice(0, 1), failWhen: ['none'] })]))
		).toEqual({ 'items.0.choices': 'choicesMissing' });
		expect(problemsOf(draft([item({ choices })]))).toEqual({ 'items.0.choices': 'choicesNotAllowed' });
	});

	it('names duplicate keys and duplicate choice values where the second one is', () => {
		const twice = draft([item(), item({ label: { zh: '另一项', en: 'Another' } })]);
		expect(problemsOf(twice)).toEqual({ 'items.1.key': 'keyDuplicate' });
		const sameChoice = item({ type: 'choice', choices: [choices[0], choices[0]], failWhen: ['none'] });
		expect(problemsOf(draft([sameChoice]))).toEqual({ 'items.0.choices.1.value': 'choiceDuplicate' });
	});

	it('names a failing answer that does not fit the type of its item', () => {
		expect(problemsOf(draft([item({ failWhen: { atLeast: 3 } })]))).toEqual({
			'items.0.failWhen': 'failWhenYesNo'
		});
		for (const failWhen of [true, { atLeast: 0 }, { atLeast: 2.5 }, ['many']])
			expect(problemsOf(draft([item({ type: 'count', failWhen })]))).toEqual({
				'items.0.failWhen': 'failWhenCount'
			});
		for (const failWhen of [true, [], ['often']])
			expect(problemsOf(draft([item({ type: 'choice', choices, failWhen })]))).toEqual({
				'items.0.failWhen': 'failWhenChoice'
			});
		expect(problemsOf(draft([item({ type: 'text', spawns: undefined })]))).toEqual({
			'items.0.failWhen': 'failWhenNone'
		});
	});

	it('names a problem to record that is no known subtype, or that nothing can fail to record', () => {
		expect(problemsOf(draft([item({ spawns: 'parking.spaceship' as never })]))).toEqual({
			'items.0.spawns': 'spawnsUnknown'
		});
		expect(problemsOf(draft([item({ failWhen: undefined })]))).toEqual({
			'items.0.spawns': 'spawnsWithoutFailWhen'
		});
	});

	it('names missing or blank texts in either language, bad keys, and an empty checklist', () => {
		expect(
			problemsOf(draft([item({ label: { zh: '  ', en: 'Fire lane' } })], { zh: '巡查', en: '' }))
		).toEqual({
			'title.en': 'textMissing',
			'items.0.label.zh': 'textMissing'
		});
		expect(problemsOf(draft([item({ key: 'Fire Lane' })]))).toEqual({ 'items.0.key': 'keyFormat' });
		expect(problemsOf(draft([]))).toEqual({ items: 'noItems' });
		expect(problemsOf(draft([item({ label: { zh: '长'.repeat(201), en: 'x' } })]))).toEqual({
			'items.0.label.zh': 'textTooLong'
		});
	});

	it('asks a new version for the version it was made from', () => {
		expect(problemsOf(draft([item()]), templateRevision)).toEqual({ baseVersion: 'invalid' });
		expect(problemsOf({ ...draft([item()]), baseVersion: 2 }, templateRevision)).toEqual({});
	});
});

it('every problem has its message in Chinese and English', () => {
	for (const code of templateProblemCodes)
		for (const catalog of Object.values(catalogs))
			expect(catalog[`checklists.problem.${code}`], code).toMatch(/\S/);
});
