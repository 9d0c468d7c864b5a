import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
	building,
	caseEvent,
	caseRecord,
	checklistTemplate,
	community,
	compound,
	feedback,
	grid,
	observation,
	patrol,
	photoRef,
	survey,
	team,
	user,
	visit
} from './records';

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const at = '2026-03-02T09:30:00.000Z';
const square = {
	type: 'Polygon' as const,
	coordinates: [
		[
			[116.98, 33.63],
			[116.99, 33.63],
			[116.99, 33.64],
			[116.98, 33.64],
			[116.98, 33.63]
		]
	]
};
const photo = { sha256: 'a'.repeat(64), mime: 'image/jpeg', bytes: 120_000, width: 1600, height: 1200 };
const label = { zh: '消防通道畅通', en: 'Fire lane clear' };

const valid = {
	community: [community, { id: id(1), name: '淮河社区', code: 'HH01' }],
	compound: [
		compound,
		{
			id: id(11),
			communityId: id(1),
			name: '幸福小区',
			address: '淮河路 12 号',
			households: 480,
			boundary: square,
			centroid: { lat: 33.635, lng: 116.985 }
		}
	],
	building: [
		building,
		{
			id: id(31),
			compoundId: id(11),
			gridId: id(111),
			name: '3号楼',
			units: 3,
			floors: 18,
			households: 108,
			point: { lat: 33.635, lng: 116.985 }
		}
	],
	grid: [
		grid,
		{
			id: id(111),
			communityId: id(1),
			compoundIds: [id(11)],
			name: '一网格',
			boundary: square,
			leaderUserId: id(902)
		}
	],
	team: [team, { id: id(801), name: '红马甲志愿队', communityIds: [id(1)] }],
	checklistTemplate: [
		checklistTemplate,
		{
			id: id(701),
			version: 2,
			title: { zh: '夜间停车巡查', en: 'Evening parking patrol' },
			items: [
				{
					key: 'fire_lane_clear',
					label,
					type: 'yes_no',
					required: true,
					failWhen: false,
					spawns: 'parking.fire_lane_blocked'
				},
				{ key: 'ebikes_outside', label, type: 'count', required: false, failWhen: { atLeast: 5 } },
				{
					key: 'lighting',
					label,
					type: 'choice',
					required: true,
					choices: [
						{ value: 'ok', label },
						{ value: 'dark', label }
					],
					failWhen: ['dark']
				}
			]
		}
	],
	user: [
		user,
		{
			id: id(902),
			username: 'wang.li',
			displayName: '王丽',
			role: 'grid_leader',
			gridIds: [id(111)],
			communityIds: [],
			active: true
		}
	],
	patrol: [
		patrol,
		{
			id: id(401),
			templateId: id(701),
			templateVersion: 2,
			compoundId: id(11),
			teamId: id(801),
			startedAt: at,
			finishedAt: '2026-03-02T10:15:00+08:00',
			answers: [{ key: 'fire_lane_clear', value: false, note: '两辆车', photos: [photo] }],
			track: [{ lat: 33.635, lng: 116.985, t: at }],
			status: 'submitted',
			by: id(901)
		}
	],
	observation: [
		observation,
		{
			id: id(402),
			category: 'parking',
			subtype: 'parking.fire_lane_blocked',
			severity: 'high',
			location: { lat: 33.635, lng: 116.985, accuracy: 8 },
			compoundId: id(11),
			buildingId: id(31),
			note: '',
			photos: [photo],
			observedAt: at,
			resolvedOnSpot: false,
			patrolId: id(401),
			by: id(901)
		}
	],
	feedback: [
		feedback,
		{
			id: id(403),
			kind: 'complaint',
			topic: 'parking',
			channel: 'wechat_group',
			text: '晚上电动车堵住楼道',
			resident: { name: '张三', phone: '13812345678', unit: '3-502' },
			consentToContact: true,
			compoundId: id(11),
			receivedAt: at,
			by: id(901)
		}
	],
	visit: [
		visit,
		{
			id: id(404),
			gridId: id(111),
			buildingId: id(31),
			unit: '2-301',
			purpose: 'elderly_care',
			summary: '独居老人，身体尚好',
			residentsMet: 1,
			needsFollowUp: false,
			visitedAt: at,
			by: id(902)
		}
	],
	survey: [
		survey,
		{
			id: id(405),
			compoundId: id(11),
			month: '2026-03',
			scores: { cleanliness: 4, safety: 5, parking: 2, responsiveness: 4, overall: 4 },
			by: id(903)
		}
	],
	case: [
		caseRecord,
		{
			id: id(500),
			source: { type: 'observation', id: id(402) },
			title: '3号楼消防通道被占',
			category: 'parking',
			priority: 'high',
			compoundId: id(11),
			gridId: id(111),
			status: 'assigned',
			assigneeId: id(902),
			dueAt: '2026-03-05T09:30:00.000Z',
			createdAt: at,
			updatedAt: at
		}
	],
	caseEvent: [
		caseEvent,
		{
			id: id(501),
			caseId: id(500),
			kind: 'transition',
			from: 'triaged',
			to: 'assigned',
			photos: [],
			at,
			by: id(903)
		}
	]
} satisfies Record<string, [z.ZodType, unknown]>;

type Kind = keyof typeof valid;
const sample = (kind: Kind): Record<string, unknown> => structuredClone(valid[kind][1]);
const parses = (kind: Kind, input: unknown) => valid[kind][0].safeParse(input).success;

describe('a valid record of each kind parses', () => {
	it.each(Object.keys(valid) as Kind[])('%s', (kind) => {
		expect(valid[kind][0].parse(sample(kind))).toEqual(sample(kind));
	});
});

describe('typical bad input fails', () => {
	it.each(['1381234567', '23812345678', '12812345678', '138-1234-5678', '+8613812345678'])(
		'a resident phone of %s',
		(phone) => {
			const input = sample('feedback');
			input.resident = { name: '张三', phone };
			expect(parses('feedback', input)).toBe(false);
		}
	);

	it.each([
		['parking', 'sanitation.litter'],
		['safety', 'parking.car_on_green'],
		['other', 'facility.elevator']
	])('a %s observation with subtype %s', (category, subtype) => {
		expect(parses('observation', { ...sample('observation'), category, subtype })).toBe(false);
	});

	it('an unknown subtype', () => {
		expect(parses('observation', { ...sample('observation'), subtype: 'parking.double_parked' })).toBe(false);
	});

	it('an unclosed polygon', () => {
		const open = { type: 'Polygon', coordinates: [square.coordinates[0].slice(0, 4)] };
		expect(parses('grid', { ...sample('grid'), boundary: open })).toBe(false);
		expect(parses('compound', { ...sample('compound'), boundary: open })).toBe(false);
	});

	it('a polygon of fewer than four positions, or with latitude first', () => {
		const line = {
			type: 'Polygon',
			coordinates: [
				[
					[116.98, 33.63],
					[116.99, 33.63],
					[116.98, 33.63]
				]
			]
		};
		expect(parses('grid', { ...sample('grid'), boundary: line })).toBe(false);
		const swapped = { type: 'Polygon', coordinates: [square.coordinates[0].map(([x, y]) => [y, x + 100])] };
		expect(parses('grid', { ...sample('grid'), boundary: swapped })).toBe(false);
	});

	it('a polygon with an empty ring, or with no ring, fails instead of throwing', () => {
		for (const coordinates of [[[]], []]) {
			expect(parses('grid', { ...sample('grid'), boundary: { type: 'Polygon', coordinates } })).toBe(false);
		}
	});

	it('a resident name or phone without consent to contact', () => {
		const withPhone = { ...sample('feedback'), resident: { phone: '13812345678' }, consentToContact: false };
		expect(parses('feedback', withPhone)).toBe(false);
		const withName = { ...sample('feedback'), resident: { name: '张三' }, consentToContact: false };
		expect(parses('feedback', withName)).toBe(false);
	});

	it('a resident with only a unit needs no consent', () => {
		const unitOnly = { ...sample('feedback'), resident: { unit: '3-502' }, consentToContact: false };
		expect(parses('feedback', unitOnly)).toBe(true);
		expect(parses('feedback', { ...sample('feedback'), resident: null, consentToContact: false })).toBe(true);
	});

	it('ids that are not UUIDs', () => {
		expect(parses('observation', { ...sample('observation'), id: '42' })).toBe(false);
		expect(parses('case', { ...sample('case'), compoundId: 'compound-1' })).toBe(false);
	});

	it('times without an offset', () => {
		expect(parses('observation', { ...sample('observation'), observedAt: '2026-03-02 09:30' })).toBe(false);
		expect(parses('case', { ...sample('case'), createdAt: '2026-03-02T09:30:00' })).toBe(false);
	});

	it('a GPS fix off the globe', () => {
		const location = { lat: 133.63, lng: 116.98, accuracy: 8 };
		expect(parses('observation', { ...sample('observation'), location })).toBe(false);
	});

	it.each(['2026-3', '2026-13', '03-2026'])('a survey month of %s', (month) => {
		expect(parses('survey', { ...sample('survey'), month })).toBe(false);
	});

	it.each([0, 6, 4.5])('a score or satisfaction of %s', (score) => {
		const scores = { ...(sample('survey').scores as object), overall: score };
		expect(parses('survey', { ...sample('survey'), scores })).toBe(false);
		expect(parses('case', { ...sample('case'), satisfaction: score })).toBe(false);
	});

	it('a survey missing an aspect', () => {
		const scores = { cleanliness: 4, safety: 5, parking: 2, responsiveness: 4 };
		expect(parses('survey', { ...sample('survey'), scores })).toBe(false);
	});

	it('unknown enum values', () => {
		expect(parses('case', { ...sample('case'), status: 'done' })).toBe(false);
		expect(parses('feedback', { ...sample('feedback'), channel: 'email' })).toBe(false);
		expect(parses('user', { ...sample('user'), role: 'superuser' })).toBe(false);
		expect(parses('visit', { ...sample('visit'), purpose: 'chat' })).toBe(false);
	});

	it('empty text where text is the point', () => {
		expect(parses('feedback', { ...sample('feedback'), text: '   ' })).toBe(false);
		expect(parses('visit', { ...sample('visit'), summary: '' })).toBe(false);
		expect(parses('case', { ...sample('case'), title: '' })).toBe(false);
	});

	it('a username with capitals or spaces', () => {
		expect(parses('user', { ...sample('user'), username: 'Wang Li' })).toBe(false);
	});

	it('a template version of 0, or a template without items', () => {
		expect(parses('checklistTemplate', { ...sample('checklistTemplate'), version: 0 })).toBe(false);
		expect(parses('checklistTemplate', { ...sample('checklistTemplate'), items: [] })).toBe(false);
	});

	it('a photo with a bad hash or type', () => {
		expect(photoRef.safeParse({ ...photo, sha256: 'A'.repeat(64) }).success).toBe(false);
		expect(photoRef.safeParse({ ...photo, mime: 'image/gif' }).success).toBe(false);
	});

	it('a patrol in an unknown status', () => {
		expect(parses('patrol', { ...sample('patrol'), status: 'done' })).toBe(false);
	});
});
