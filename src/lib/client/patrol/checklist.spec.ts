import { describe, expect, it } from 'vitest';
import { fails, type Actor, type ChecklistTemplate, type Compound, type Patrol } from '$lib/domain';
import {
	answerProblem,
	cleanAnswers,
	compoundChoices,
	finishProblems,
	latestTemplates,
	progressOf,
	resumablePatrol,
	resumeAt,
	spawnPrefill,
	spawnedRecorded,
	withAnswer
} from './checklist';

const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const template: ChecklistTemplate = {
	id: uuid(1),
	version: 2,
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
			label: { zh: '车棚外停放的电动车数量', en: 'E-bikes outside the bays' },
			type: 'count',
			required: true,
			failWhen: { atLeast: 5 },
			spawns: 'parking.ebike_outside_bay'
		},
		{
			key: 'green',
			label: { zh: '绿地停车情况', en: 'Cars on the green' },
			type: 'choice',
			required: true,
			choices: [
				{ value: 'none', label: { zh: '无', en: 'None' } },
				{ value: 'many', label: { zh: '3辆以上', en: '3 or more' } }
			],
			failWhen: ['many'],
			spawns: 'parking.car_on_green'
		},
		{ key: 'photo', label: { zh: '车棚照片', en: 'Shelter photo' }, type: 'photo', required: true },
		{ key: 'notes', label: { zh: '其他情况说明', en: 'Other remarks' }, type: 'text', required: false }
	]
};
const [lane, ebikes, green, photo, notes] = template.items;
const words = { yes: '是', no: '否', photos: (n: number) => `${n} 张照片` };
const ref = { sha256: 'a'.repeat(64), mime: 'image/jpeg' as const, bytes: 1000, width: 800, height: 600 };

describe('failWhen', () => {
	it('fails a yes/no on the named answer, a count from its minimum, a choice on the listed values', () => {
		expect([fails(lane, false), fails(lane, true), fails(lane, null)]).toEqual([true, false, false]);
		expect([fails(ebikes, 4), fails(ebikes, 5), fails(ebikes, 12)]).toEqual([false, true, true]);
		expect([fails(green, 'none'), fails(green, 'many')]).toEqual([false, true]);
		expect(fails(photo, null)).toBe(false);
	});
});

describe('answers and progress', () => {
	it('changes one answer in the template order and counts what is answered, missing and failed', () => {
		let answers = withAnswer(template, [], 'green', { value: 'many' });
		answers = withAnswer(template, answers, 'fire_lane_clear', { value: true });
		answers = withAnswer(template, answers, 'fire_lane_clear', { note: '东侧' });
		expect(answers.map((a) => a.key)).toEqual(['fire_lane_clear', 'green']);
		expect(answers[0]).toEqual({ key: 'fire_lane_clear', value: true, note: '东侧', photos: [] });
		expect(progressOf(template, answers)).toEqual({ answered: 2, total: 5, missing: 2, failed: 1 });
		answers = withAnswer(template, answers, 'photo', { photos: [ref] });
		answers = withAnswer(template, answers, 'notes', { value: '  ' });
		expect(progressOf(template, answers)).toMatchObject({ answered: 3, missing: 1 });
	});

	it('an empty note is no note', () => {
		const answers = withAnswer(template, [{ key: 'ebikes', value: 3, note: 'x', photos: [] }], 'ebikes', {
			note: ''
		});
		expect(answers[0]).toEqual({ key: 'ebikes', value: 3, photos: [] });
	});

	it('cleans answers for storage: blank text is no answer, notes trimmed, unknown items dropped', () => {
		const cleaned = cleanAnswers(template, [
			{ key: 'gone', value: true, photos: [] },
			{ key: 'notes', value: '   ', photos: [] },
			{ key: 'ebikes', value: 2, note: '  北门  ', photos: [] }
		]);
		expect(cleaned).toEqual([
			{ key: 'ebikes', value: 2, note: '北门', photos: [] },
			{ key: 'notes', value: null, photos: [] }
		]);
	});
});

describe('validation by the shared schemas', () => {
	it('a count must be a whole number within range; a long note or text is refused with its limit', () => {
		expect(answerProblem(ebikes, { key: 'ebikes', value: 2.5, photos: [] })).toEqual({
			key: 'patrol.error.count'
		});
		expect(answerProblem(ebikes, { key: 'ebikes', value: -1, photos: [] })).toEqual({
			key: 'patrol.error.count'
		});
		expect(answerProblem(ebikes, { key: 'ebikes', value: 10_001, photos: [] })).toEqual({
			key: 'patrol.error.countTooLarge',
			params: { max: 10_000 }
		});
		expect(
			answerProblem(lane, { key: 'fire_lane_clear', value: true, note: 'x'.repeat(2001), photos: [] })
		).toEqual({
			key: 'patrol.error.noteTooLong',
			params: { max: 2000 }
		});
		expect(answerProblem(notes, { key: 'notes', value: 'x'.repeat(2001), photos: [] })).toMatchObject({
			key: 'patrol.error.noteTooLong'
		});
		expect(answerProblem(green, { key: 'green', value: 'lots', photos: [] })).toEqual({
			key: 'observe.error.invalid'
		});
		expect(answerProblem(ebikes, { key: 'ebikes', value: 7, photos: [] })).toBeNull();
	});

	it('asks for the required answers only when finishing; a photo item needs a photo', () => {
		expect(answerProblem(lane, undefined)).toBeNull();
		expect(answerProblem(lane, undefined, { finishing: true })).toEqual({ key: 'patrol.error.required' });
		expect(answerProblem(notes, undefined, { finishing: true })).toBeNull();
		const problems = finishProblems(template, [
			{ key: 'fire_lane_clear', value: false, photos: [] },
			{ key: 'ebikes', value: 0, photos: [] }
		]);
		expect(Object.fromEntries(problems)).toEqual({
			green: { key: 'patrol.error.required' },
			photo: { key: 'patrol.error.photoRequired' }
		});
	});
});

describe('resume', () => {
	const patrol = (n: number, fields: Partial<Patrol>): Patrol => ({
		id: uuid(100 + n),
		templateId: template.id,
		templateVersion: 2,
		compoundId: uuid(50),
		startedAt: `2026-11-25T0${n}:00:00Z`,
		answers: [],
		status: 'draft',
		by: uuid(9),
		...fields
	});

	it('offers my latest patrol in progress, never a submitted one or someone else’s', () => {
		const patrols = [
			patrol(1, {}),
			patrol(2, {}),
			patrol(3, { status: 'submitted' }),
			patrol(4, { by: uuid(8) })
		];
		expect(resumablePatrol(patrols, uuid(9))?.id).toBe(uuid(102));
		expect(resumablePatrol([patrol(3, { status: 'submitted' })], uuid(9))).toBeNull();
	});

	it('picks up at the first item without an answer, else at the last item', () => {
		expect(resumeAt(template, [])).toBe(0);
		expect(
			resumeAt(template, [
				{ key: 'fire_lane_clear', value: true, photos: [] },
				{ key: 'ebikes', value: 0, photos: [] }
			])
		).toBe(2);
		const all = template.items.map((item) => ({
			key: item.key,
			value: item.type === 'photo' ? null : item.type === 'choice' ? 'none' : item.type === 'text' ? 'ok' : 1,
			photos: item.type === 'photo' ? [ref] : []
		}));
		expect(resumeAt(template, all)).toBe(4);
	});
});

describe('a failed item spawns its observation', () => {
	const started = {
		id: uuid(200),
		templateId: template.id,
		templateVersion: 2,
		compoundId: uuid(50),
		startedAt: '2026-11-25T08:00:00Z',
		status: 'draft' as const,
		by: uuid(9)
	};

	it('prefilled with its category, subtype, compound, patrol and a note saying what was found', () => {
		const patrol = { ...started, answers: [{ key: 'ebikes', value: 7, note: '北门口', photos: [] }] };
		expect(spawnPrefill(patrol, template, 'ebikes', 'zh-CN', words)).toEqual({
			patrolId: patrol.id,
			itemKey: 'ebikes',
			category: 'parking',
			subtype: 'parking.ebike_outside_bay',
			compoundId: uuid(50),
			note: '车棚外停放的电动车数量：7\n北门口'
		});
		const english = spawnPrefill(
			{ ...started, answers: [{ key: 'fire_lane_clear', value: false, photos: [] }] },
			template,
			'fire_lane_clear',
			'en',
			{ ...words, yes: 'Yes', no: 'No' }
		);
		expect(english?.note).toBe('Fire lane clear: No');
	});

	it('nothing when the item passed or spawns nothing', () => {
		const patrol = { ...started, answers: [{ key: 'ebikes', value: 2, photos: [] }] };
		expect(spawnPrefill(patrol, template, 'ebikes', 'zh-CN', words)).toBeNull();
		expect(spawnPrefill(patrol, template, 'photo', 'zh-CN', words)).toBeNull();
	});

	it('is shown as recorded once the patrol has an observation of that subtype', () => {
		const observations = [
			{ patrolId: uuid(200), subtype: 'parking.car_on_green' },
			{ patrolId: uuid(201), subtype: 'parking.ebike_outside_bay' }
		];
		expect(spawnedRecorded(green, observations, uuid(200))).toBe(true);
		expect(spawnedRecorded(ebikes, observations, uuid(200))).toBe(false);
	});
});

describe('templates and compounds', () => {
	it('keeps the newest version of each template', () => {
		const older = { ...template, version: 1, title: { zh: '旧', en: 'Old' } };
		expect(latestTemplates([older, template], 'zh-CN')).toEqual([template]);
	});

	const compound = (n: number, name: string, lat: number): Compound => ({
		id: uuid(300 + n),
		communityId: uuid(400),
		name,
		address: `淮河路 ${n} 号`,
		households: 100,
		centroid: { lat, lng: 116.98 }
	});
	const compounds = [
		compound(1, '幸福小区', 33.64),
		compound(2, '阳光花园', 33.63),
		compound(3, '外区', 33.6)
	];
	const volunteer: Actor = {
		id: uuid(9),
		role: 'volunteer',
		scope: { all: false, communityIds: [uuid(400)], compoundIds: [uuid(301), uuid(302)], gridIds: [] }
	};

	it('offers the compounds in my scope, nearest first, searchable by name or address', () => {
		const near = compoundChoices(volunteer, compounds, {
			position: { lat: 33.631, lng: 116.98 },
			locale: 'zh-CN'
		});
		expect(near.map((c) => c.compound.name)).toEqual(['阳光花园', '幸福小区']);
		expect(near[0].distance).toBeGreaterThan(100);
		expect(near[0].distance).toBeLessThan(120);
		const found = compoundChoices(volunteer, compounds, { position: null, query: '幸福', locale: 'zh-CN' });
		expect(found.map((c) => [c.compound.name, c.distance])).toEqual([['幸福小区', null]]);
		expect(
			compoundChoices(volunteer, compounds, { position: null, query: '2 号', locale: 'zh-CN' })
		).toHaveLength(1);
	});
});
