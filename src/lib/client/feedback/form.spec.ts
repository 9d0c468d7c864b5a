import { describe, expect, it } from 'vitest';
import type { Building, Compound } from '$lib/domain';
import { t } from '$lib/i18n';
import type { PlaceChoice } from '../observe/places';
import {
	assembleFeedback,
	assembleVisit,
	emptyFeedbackFields,
	emptyVisitFields,
	feedbackFieldsFromDraft,
	hasFeedbackInput,
	normalisePhone,
	validateFeedback,
	validateVisit,
	type FeedbackFormFields
} from './form';

const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const compound: Compound = {
	id: uuid(1),
	communityId: uuid(2),
	name: '幸福小区',
	address: '淮河路 12 号',
	households: 480,
	centroid: { lat: 33.63, lng: 116.98 }
};
const building = {
	id: uuid(3),
	compoundId: compound.id,
	gridId: uuid(4),
	name: '3号楼',
	units: 2,
	floors: 6,
	households: 24,
	point: { lat: 33.63, lng: 116.98 }
} as Building;
const place: PlaceChoice = { building, compound, grid: null };
const now = new Date('2026-11-25T08:00:00Z');
const context = { id: uuid(9), by: uuid(8), now, place };

const filled = (over: Partial<FeedbackFormFields> = {}): FeedbackFormFields => ({
	...emptyFeedbackFields(),
	kind: 'complaint',
	topic: 'parking',
	channel: 'in_person',
	text: ' 电动车堵住了消防通道 ',
	buildingId: building.id,
	...over
});

describe('feedback form', () => {
	it('assembles a feedback without resident data', () => {
		const checked = validateFeedback(assembleFeedback(filled(), context));
		expect(checked.ok).toBe(true);
		if (!checked.ok) return;
		expect(checked.value).toMatchObject({
			kind: 'complaint',
			text: '电动车堵住了消防通道',
			resident: null,
			consentToContact: false,
			compoundId: compound.id,
			buildingId: building.id,
			receivedAt: now.toISOString()
		});
	});

	it('keeps the resident with consent, the phone down to its digits', () => {
		const fields = filled({
			residentName: '王阿姨',
			residentPhone: '+86 138 0013 8000',
			residentUnit: '2单元301',
			consentToContact: true
		});
		const checked = validateFeedback(assembleFeedback(fields, context));
		expect(checked.ok && checked.value.resident).toEqual({
			name: '王阿姨',
			phone: '13800138000',
			unit: '2单元301'
		});
	});

	it('refuses a name or phone without consent, but not a unit alone', () => {
		const refused = validateFeedback(assembleFeedback(filled({ residentName: '王阿姨' }), context));
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.errors.consent?.key).toBe('feedback.error.consent');
		expect(validateFeedback(assembleFeedback(filled({ residentUnit: '301' }), context)).ok).toBe(true);
	});

	it('refuses a phone that is not a mainland mobile, with a message in both languages', () => {
		for (const phone of ['12800138000', '1380013800', 'abc']) {
			const checked = validateFeedback(
				assembleFeedback(filled({ residentPhone: phone, consentToContact: true }), context)
			);
			expect(checked.ok).toBe(false);
			if (checked.ok) continue;
			expect(checked.errors.residentPhone?.key).toBe('feedback.error.residentPhone');
			expect(t('zh-CN', 'feedback.error.residentPhone')).toContain('11 位');
			expect(t('en', 'feedback.error.residentPhone')).toContain('11 digits');
		}
	});

	it('names every missing choice', () => {
		const checked = validateFeedback(assembleFeedback(emptyFeedbackFields(), { ...context, place: null }));
		expect(!checked.ok && Object.keys(checked.errors).sort()).toEqual(
			['channel', 'kind', 'place', 'text', 'topic'].sort()
		);
	});

	it('normalises phones and reads drafts back', () => {
		expect(normalisePhone('138-0013-8000')).toBe('13800138000');
		expect(normalisePhone('8613800138000')).toBe('13800138000');
		expect(hasFeedbackInput(emptyFeedbackFields())).toBe(false);
		expect(hasFeedbackInput(filled())).toBe(true);
		expect(feedbackFieldsFromDraft({ kind: 'nonsense', text: 'x' })).toMatchObject({ kind: null, text: 'x' });
	});
});

describe('visit form', () => {
	it('assembles a visit with follow-up and the fix as its location', () => {
		const fields = {
			...emptyVisitFields(),
			buildingId: building.id,
			unit: ' 301 ',
			purpose: 'elderly_care' as const,
			summary: '独居老人，需要助餐',
			residentsMet: 2,
			needsFollowUp: true
		};
		const checked = validateVisit(
			assembleVisit(fields, { ...context, fix: { lat: 33.6301, lng: 116.9801, accuracy: 12.4 } })
		);
		expect(checked.ok && checked.value).toMatchObject({
			gridId: building.gridId,
			buildingId: building.id,
			unit: '301',
			needsFollowUp: true,
			residentsMet: 2,
			location: { accuracy: 12 }
		});
	});

	it('names what is missing', () => {
		const checked = validateVisit(assembleVisit(emptyVisitFields(), { ...context, place: null, fix: null }));
		expect(!checked.ok && Object.keys(checked.errors).sort()).toEqual(
			['place', 'purpose', 'residentsMet', 'summary'].sort()
		);
	});
});
