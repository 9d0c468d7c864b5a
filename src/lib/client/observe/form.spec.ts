import { describe, expect, it } from 'vitest';
import type { Building, Compound, PhotoRef } from '$lib/domain';
import { catalogs, t } from '$lib/i18n';
import {
	assembleObservation,
	emptyFields,
	fieldsFromDraft,
	formErrors,
	hasInput,
	refusalMessage,
	validateObservation,
	type ObserveFields
} from './form';
import type { PlaceChoice } from './places';

const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const compound: Compound = {
	id: uuid(1),
	communityId: uuid(2),
	name: '幸福小区',
	address: '淮河路 12 号',
	households: 480,
	centroid: { lat: 33.63, lng: 116.98 }
};
const building: Building = {
	id: uuid(3),
	compoundId: compound.id,
	gridId: uuid(4),
	name: '3号楼',
	units: 2,
	floors: 6,
	households: 24,
	point: { lat: 33.63, lng: 116.98 }
};
const place: PlaceChoice = { building, compound, grid: null };
const photo: PhotoRef = {
	sha256: 'a'.repeat(64),
	mime: 'image/jpeg',
	bytes: 1000,
	width: 1600,
	height: 1200
};
const now = new Date('2026-03-02T09:30:00.000Z');
const filled: ObserveFields = {
	...emptyFields(),
	category: 'parking',
	subtype: 'parking.fire_lane_blocked',
	buildingId: building.id,
	photos: [photo.sha256],
	observedAt: '2026-03-02T09:28:00.000Z'
};
const context = { id: uuid(10), by: uuid(11), now, place, fix: null, photos: [photo] };

describe('the observation assembled from the form', () => {
	it('is valid for the common case: category, subtype, photo and the suggested building', () => {
		const fix = { lat: 33.6301, lng: 116.9801, accuracy: 12 };

		const assembled = assembleObservation(filled, { ...context, fix });
		const checked = validateObservation(assembled);

		expect(checked).toEqual({
			ok: true,
			value: {
				id: uuid(10),
				category: 'parking',
				subtype: 'parking.fire_lane_blocked',
				severity: 'medium',
				location: fix,
				compoundId: compound.id,
				buildingId: building.id,
				gridId: building.gridId,
				note: '',
				photos: [photo],
				observedAt: '2026-03-02T09:28:00.000Z',
				resolvedOnSpot: false,
				patrolId: null,
				by: uuid(11)
			}
		});
	});

	it('takes the building’s point without a fix, trims the note and dates it now when no start was kept', () => {
		const assembled = assembleObservation(
			{ ...filled, note: '  堵了一整天 ', observedAt: null, resolvedOnSpot: true },
			context
		);

		expect(assembled).toMatchObject({
			location: { lat: 33.63, lng: 116.98, accuracy: 30 },
			note: '堵了一整天',
			observedAt: now.toISOString(),
			resolvedOnSpot: true
		});
	});

	it('is refused by the shared schema with one message per field, next to it', () => {
		const empty = assembleObservation(emptyFields(), { ...context, place: null, photos: [] });

		const checked = validateObservation(empty);

		expect(checked.ok).toBe(false);
		expect(!checked.ok && checked.errors).toEqual({
			category: { key: 'observe.error.category' },
			subtype: { key: 'observe.error.subtype' },
			place: { key: 'observe.error.place' }
		});
	});

	it('says how long a note and how many photos may be, from the schema’s own limits', () => {
		const tooMuch = assembleObservation(
			{ ...filled, note: '很'.repeat(2001) },
			{ ...context, photos: Array.from({ length: 13 }, () => photo) }
		);

		const checked = validateObservation(tooMuch);

		expect(!checked.ok && checked.errors).toEqual({
			note: { key: 'observe.error.noteTooLong', params: { max: 2000 } },
			photos: { key: 'observe.error.tooManyPhotos', params: { max: 12 } }
		});
		expect(t('zh-CN', 'observe.error.noteTooLong', { max: 2000 })).toBe('补充说明最多 2000 个字。');
		expect(t('en', 'observe.error.tooManyPhotos', { max: 12 })).toBe('At most 12 photos.');
	});

	it('refuses a subtype of another category at the subtype', () => {
		const mixed = assembleObservation({ ...filled, subtype: 'sanitation.litter' }, context);
		const checked = validateObservation(mixed);
		expect(!checked.ok && checked.errors).toEqual({ subtype: { key: 'observe.error.subtype' } });
	});
});

describe('formErrors', () => {
	it('reads the `path: message` issues of a refusal too, and puts what no field explains on the form', () => {
		expect(
			formErrors([
				{ path: 'location.accuracy', message: 'Too big' },
				{ path: 'observedAt', message: 'Invalid' },
				{ path: 'location.lat', message: 'Too big' }
			])
		).toEqual({ place: { key: 'observe.error.place' }, form: { key: 'observe.error.invalid' } });
	});
});

describe('refusalMessage', () => {
	it('has a message in both languages for each refusal the device can give, the form kept', () => {
		for (const code of ['STORAGE_FULL', 'NOT_SIGNED_IN', 'TOO_LARGE', 'VALIDATION', 'APP_UPDATED'] as const) {
			const { key } = refusalMessage({ code });
			expect(catalogs['zh-CN'][key]).toBeTruthy();
			expect(catalogs.en[key]).toBeTruthy();
		}
		expect(t('en', refusalMessage({ code: 'STORAGE_FULL' }).key)).toContain('nothing was saved');
		// Refusals the form has no words of its own for say what the device says of them anywhere.
		expect(refusalMessage({ code: 'FORBIDDEN' })).toEqual({ key: 'sync.rejected.forbidden' });
	});
});

describe('drafts of the form', () => {
	it('count as input once the person has done anything but accept the GPS suggestion', () => {
		expect(hasInput(emptyFields())).toBe(false);
		expect(hasInput({ ...emptyFields(), buildingId: building.id })).toBe(false);
		expect(hasInput({ ...emptyFields(), buildingId: building.id, buildingChosen: true })).toBe(true);
		expect(hasInput({ ...emptyFields(), category: 'safety' })).toBe(true);
		expect(hasInput({ ...emptyFields(), severity: 'high' })).toBe(true);
		expect(hasInput({ ...emptyFields(), note: '  ' })).toBe(false);
	});

	it('come back as they were written', () => {
		expect(fieldsFromDraft(JSON.parse(JSON.stringify(filled)))).toEqual(filled);
	});

	it('drop what no longer fits rather than the whole draft', () => {
		expect(
			fieldsFromDraft({
				...filled,
				category: 'weather',
				subtype: 'parking.fire_lane_blocked',
				severity: 'extreme',
				photos: ['not-a-hash'],
				observedAt: 'yesterday'
			})
		).toEqual({ ...filled, category: null, subtype: null, severity: 'medium', photos: [], observedAt: null });
		expect(fieldsFromDraft('garbage')).toBeNull();
		expect(fieldsFromDraft(null)).toBeNull();
	});
});
