import { z } from 'zod';
import {
	category,
	observation,
	severity,
	subtype,
	type Category,
	type GpsFix,
	type Observation,
	type PhotoRef,
	type Severity,
	type SubtypeKey
} from '$lib/domain';
import type { MessageKey } from '$lib/i18n';
import { clientErrorMessageKey, type LocalRefusal } from '../refusal';
import { observedLocation, type PlaceChoice } from './places';

/** What the person has entered on /observe: the draft kept on the device and the source of the record. */
export interface ObserveFields {
	category: Category | null;
	subtype: SubtypeKey | null;
	severity: Severity;
	buildingId: string | null;
	/** True when the person picked the building; false while it is the GPS suggestion (or none). */
	buildingChosen: boolean;
	note: string;
	resolvedOnSpot: boolean;
	/** The photos' SHA-256, in the order taken; their bytes are kept with the draft. */
	photos: string[];
	/** When the person started reporting it: the problem was seen then, not when the form was saved. */
	observedAt: string | null;
	/** The patrol whose failed item this observation records, when it was opened from one. */
	patrolId: string | null;
}

export function emptyFields(): ObserveFields {
	return {
		category: null,
		subtype: null,
		severity: 'medium',
		buildingId: null,
		buildingChosen: false,
		note: '',
		resolvedOnSpot: false,
		photos: [],
		observedAt: null,
		patrolId: null
	};
}

/** Whether the person has entered anything worth keeping (a GPS suggestion alone is not their input). */
export function hasInput(fields: ObserveFields): boolean {
	return (
		fields.category !== null ||
		fields.photos.length > 0 ||
		fields.note.trim() !== '' ||
		fields.buildingChosen ||
		fields.resolvedOnSpot ||
		fields.severity !== 'medium'
	);
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** A draft read back from the device, written by this or an older version: what no longer fits is dropped. */
const draftFields = z.object({
	category: category.nullable().catch(null),
	subtype: subtype.nullable().catch(null),
	severity: severity.catch('medium'),
	buildingId: z.string().nullable().catch(null),
	buildingChosen: z.boolean().catch(false),
	note: z.string().catch(''),
	resolvedOnSpot: z.boolean().catch(false),
	photos: z.array(sha256).catch([]),
	observedAt: z.iso.datetime({ offset: true }).nullable().catch(null),
	patrolId: z.uuid().nullable().catch(null)
});

/** A saved observation as the form shows it for editing (its photos come back through the photo list). */
export function fieldsFromRecord(record: Observation): ObserveFields {
	return {
		category: record.category,
		subtype: record.subtype as SubtypeKey,
		severity: record.severity,
		buildingId: record.buildingId ?? null,
		buildingChosen: true,
		note: record.note,
		resolvedOnSpot: record.resolvedOnSpot,
		photos: [],
		observedAt: record.observedAt,
		patrolId: record.patrolId ?? null
	};
}

export function fieldsFromDraft(value: unknown): ObserveFields | null {
	const parsed = draftFields.safeParse(value);
	if (!parsed.success) return null;
	const fields = parsed.data;
	if (fields.subtype && !fields.subtype.startsWith(`${fields.category}.`)) fields.subtype = null;
	return fields;
}

/** The observation the form describes, for the shared schema to judge (missing answers stay missing). */
export function assembleObservation(
	fields: ObserveFields,
	{
		id,
		by,
		now,
		place,
		fix,
		photos
	}: { id: string; by: string; now: Date; place: PlaceChoice | null; fix: GpsFix | null; photos: PhotoRef[] }
): Record<string, unknown> {
	return {
		id,
		category: fields.category ?? undefined,
		subtype: fields.subtype ?? undefined,
		severity: fields.severity,
		location: place ? observedLocation(fix, place.building) : undefined,
		compoundId: place?.building.compoundId,
		buildingId: place?.building.id,
		gridId: place?.building.gridId,
		note: fields.note.trim(),
		photos,
		observedAt: fields.observedAt ?? now.toISOString(),
		resolvedOnSpot: fields.resolvedOnSpot,
		patrolId: fields.patrolId,
		by
	};
}

/** The parts of the form a message is shown next to; `form` is for what no field explains. */
export type FormField = 'category' | 'subtype' | 'severity' | 'place' | 'photos' | 'note' | 'form';
export interface FormMessage {
	key: MessageKey;
	params?: Record<string, string | number>;
}
export type FormErrors = Partial<Record<FormField, FormMessage>>;

const fieldOf: Record<string, FormField> = {
	category: 'category',
	subtype: 'subtype',
	severity: 'severity',
	location: 'place',
	compoundId: 'place',
	buildingId: 'place',
	gridId: 'place',
	photos: 'photos',
	note: 'note'
};

/** The issue of the shared schema, or of a refusal that carries its issues as `path: message` lines. */
interface IssueLike {
	path: readonly PropertyKey[] | string;
	message?: string;
	code?: string;
	maximum?: number | bigint;
}

function messageFor(field: FormField, issue: IssueLike): FormMessage {
	switch (field) {
		case 'category':
		case 'subtype':
		case 'place':
		case 'severity':
			// The form only offers valid choices: an issue here means nothing was chosen.
			return { key: `observe.error.${field}` };
		case 'note':
			return issue.code === 'too_big'
				? { key: 'observe.error.noteTooLong', params: { max: Number(issue.maximum) } }
				: { key: 'observe.error.invalid' };
		case 'photos':
			return issue.code === 'too_big'
				? { key: 'observe.error.tooManyPhotos', params: { max: Number(issue.maximum) } }
				: { key: 'observe.error.invalid' };
		case 'form':
			return { key: 'observe.error.invalid' };
	}
}

/** One message per field, the first issue's, in the person's language (the keys of both catalogs). */
export function formErrors(issues: readonly IssueLike[]): FormErrors {
	const errors: FormErrors = {};
	for (const issue of issues) {
		const head = typeof issue.path === 'string' ? issue.path.split('.')[0] : issue.path[0];
		const field = fieldOf[String(head)] ?? 'form';
		errors[field] ??= messageFor(field, issue);
	}
	return errors;
}

/** The shared schema's verdict on the assembled record, as messages next to the fields. */
export function validateObservation(
	candidate: unknown
): { ok: true; value: Observation } | { ok: false; errors: FormErrors } {
	const parsed = observation.safeParse(candidate);
	return parsed.success
		? { ok: true, value: parsed.data }
		: { ok: false, errors: formErrors(parsed.error.issues) };
}

const refusalKeys: Record<string, MessageKey> = {
	STORAGE_FULL: 'observe.refusal.storageFull',
	NOT_SIGNED_IN: 'observe.refusal.notSignedIn',
	TOO_LARGE: 'observe.refusal.tooLarge',
	VALIDATION: 'observe.refusal.validation'
};

/** What to tell the person when the device refuses to save: the form stays as it is. */
export function refusalMessage(refusal: Pick<LocalRefusal, 'code'>): FormMessage {
	// The form's own wording where it says more, else what the device says of that refusal anywhere.
	const key = refusalKeys[refusal.code] ?? clientErrorMessageKey(refusal.code);
	return key ? { key } : { key: 'observe.refusal.other', params: { code: refusal.code } };
}
