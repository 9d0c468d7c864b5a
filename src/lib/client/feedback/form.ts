import { z } from 'zod';
import {
	feedback,
	feedbackChannel,
	feedbackKind,
	feedbackTopic,
	visit,
	visitPurpose,
	type Feedback,
	type FeedbackChannel,
	type FeedbackKind,
	type FeedbackTopic,
	type GpsFix,
	type Visit,
	type VisitPurpose
} from '$lib/domain';
import type { MessageKey } from '$lib/i18n';
import type { PlaceChoice } from '../observe/places';

export interface FormMessage {
	key: MessageKey;
	params?: Record<string, string | number>;
}

interface IssueLike {
	path: readonly PropertyKey[] | string;
	code?: string;
	maximum?: number | bigint;
}

const headOf = (issue: IssueLike) =>
	String(typeof issue.path === 'string' ? issue.path.split('.')[0] : issue.path[0]);
const pathOf = (issue: IssueLike) =>
	typeof issue.path === 'string' ? issue.path.split('.') : issue.path.map(String);

// ---- /feedback ----

/** What the person has entered on /feedback (the draft and the source of the record). */
export interface FeedbackFormFields {
	kind: FeedbackKind | null;
	topic: FeedbackTopic | null;
	channel: FeedbackChannel | null;
	text: string;
	residentName: string;
	residentPhone: string;
	residentUnit: string;
	consentToContact: boolean;
	buildingId: string | null;
	buildingChosen: boolean;
	receivedAt: string | null;
}

export function emptyFeedbackFields(): FeedbackFormFields {
	return {
		kind: null,
		topic: null,
		channel: null,
		text: '',
		residentName: '',
		residentPhone: '',
		residentUnit: '',
		consentToContact: false,
		buildingId: null,
		buildingChosen: false,
		receivedAt: null
	};
}

/** Whether the person has entered anything worth keeping (a GPS suggestion alone is not their input). */
export function hasFeedbackInput(f: FeedbackFormFields): boolean {
	return (
		f.kind !== null ||
		f.topic !== null ||
		f.channel !== null ||
		f.text.trim() !== '' ||
		f.residentName.trim() !== '' ||
		f.residentPhone.trim() !== '' ||
		f.residentUnit.trim() !== '' ||
		f.consentToContact ||
		f.buildingChosen
	);
}

const feedbackDraft = z.object({
	kind: feedbackKind.nullable().catch(null),
	topic: feedbackTopic.nullable().catch(null),
	channel: feedbackChannel.nullable().catch(null),
	text: z.string().catch(''),
	residentName: z.string().catch(''),
	residentPhone: z.string().catch(''),
	residentUnit: z.string().catch(''),
	consentToContact: z.boolean().catch(false),
	buildingId: z.string().nullable().catch(null),
	buildingChosen: z.boolean().catch(false),
	receivedAt: z.iso.datetime({ offset: true }).nullable().catch(null)
});

export function feedbackFieldsFromDraft(value: unknown): FeedbackFormFields | null {
	const parsed = feedbackDraft.safeParse(value);
	return parsed.success ? parsed.data : null;
}

/** Whether the device holds the resident only masked (`138****8000`), as a synced volunteer's copy is. */
export function residentMasked(record: Pick<Feedback, 'resident'>): boolean {
	return /\*/.test(`${record.resident?.name ?? ''}${record.resident?.phone ?? ''}`);
}

/** A saved feedback record as the form shows it for editing; a masked resident is left out (kept as saved). */
export function feedbackFieldsFromRecord(record: Feedback): FeedbackFormFields {
	const resident = residentMasked(record) ? null : record.resident;
	return {
		kind: record.kind,
		topic: record.topic,
		channel: record.channel,
		text: record.text,
		residentName: resident?.name ?? '',
		residentPhone: resident?.phone ?? '',
		residentUnit: resident?.unit ?? '',
		consentToContact: record.consentToContact,
		buildingId: record.buildingId ?? null,
		buildingChosen: true,
		receivedAt: record.receivedAt
	};
}

/** A phone as typed ("138 0013-8000", "+86 138…") down to its digits. */
export function normalisePhone(phone: string): string {
	const digits = phone.replace(/[\s\-()]/g, '');
	return digits.replace(/^(\+?86)(?=1\d{10}$)/, '');
}

/**
 * The feedback the form describes. Resident details go in only as typed (blank ones left out); the shared
 * schema then refuses a name or phone without the resident's consent.
 */
export function assembleFeedback(
	f: FeedbackFormFields,
	{ id, by, now, place }: { id: string; by: string; now: Date; place: PlaceChoice | null }
): Record<string, unknown> {
	const name = f.residentName.trim();
	const phone = normalisePhone(f.residentPhone.trim());
	const unit = f.residentUnit.trim();
	const resident = {
		...(name ? { name } : {}),
		...(phone ? { phone } : {}),
		...(unit ? { unit } : {})
	};
	return {
		id,
		kind: f.kind ?? undefined,
		topic: f.topic ?? undefined,
		channel: f.channel ?? undefined,
		text: f.text.trim(),
		resident: Object.keys(resident).length > 0 ? resident : null,
		consentToContact: f.consentToContact,
		compoundId: place?.building.compoundId,
		buildingId: place?.building.id ?? null,
		receivedAt: f.receivedAt ?? now.toISOString(),
		by
	};
}

export type FeedbackField =
	| 'kind'
	| 'topic'
	| 'channel'
	| 'text'
	| 'residentName'
	| 'residentPhone'
	| 'residentUnit'
	| 'consent'
	| 'place'
	| 'form';
export type FeedbackErrors = Partial<Record<FeedbackField, FormMessage>>;

function feedbackFieldOf(issue: IssueLike): FeedbackField {
	const path = pathOf(issue);
	switch (path[0]) {
		case 'kind':
		case 'topic':
		case 'channel':
		case 'text':
			return path[0];
		case 'consentToContact':
			return 'consent';
		case 'compoundId':
		case 'buildingId':
			return 'place';
		case 'resident':
			return path[1] === 'phone' ? 'residentPhone' : path[1] === 'unit' ? 'residentUnit' : 'residentName';
		default:
			return 'form';
	}
}

function feedbackMessage(field: FeedbackField, issue: IssueLike): FormMessage {
	const max = { max: Number(issue.maximum) };
	switch (field) {
		case 'kind':
		case 'topic':
		case 'channel':
		case 'place':
		case 'consent':
		case 'residentPhone':
			return { key: `feedback.error.${field}` };
		case 'text':
			return issue.code === 'too_big'
				? { key: 'feedback.error.tooLong', params: max }
				: { key: 'feedback.error.text' };
		case 'residentName':
		case 'residentUnit':
			return issue.code === 'too_big'
				? { key: 'feedback.error.tooLong', params: max }
				: { key: 'observe.error.invalid' };
		case 'form':
			return { key: 'observe.error.invalid' };
	}
}

export function feedbackErrors(issues: readonly IssueLike[]): FeedbackErrors {
	const errors: FeedbackErrors = {};
	for (const issue of issues) {
		const field = feedbackFieldOf(issue);
		errors[field] ??= feedbackMessage(field, issue);
	}
	return errors;
}

export function validateFeedback(
	candidate: unknown
): { ok: true; value: Feedback } | { ok: false; errors: FeedbackErrors } {
	const parsed = feedback.safeParse(candidate);
	return parsed.success
		? { ok: true, value: parsed.data }
		: { ok: false, errors: feedbackErrors(parsed.error.issues) };
}

// ---- /visit ----

export interface VisitFormFields {
	buildingId: string | null;
	buildingChosen: boolean;
	unit: string;
	purpose: VisitPurpose | null;
	summary: string;
	residentsMet: number | null;
	needsFollowUp: boolean;
	visitedAt: string | null;
}

export function emptyVisitFields(): VisitFormFields {
	return {
		buildingId: null,
		buildingChosen: false,
		unit: '',
		purpose: null,
		summary: '',
		residentsMet: null,
		needsFollowUp: false,
		visitedAt: null
	};
}

export function hasVisitInput(f: VisitFormFields): boolean {
	return (
		f.buildingChosen ||
		f.unit.trim() !== '' ||
		f.purpose !== null ||
		f.summary.trim() !== '' ||
		f.residentsMet !== null ||
		f.needsFollowUp
	);
}

const visitDraft = z.object({
	buildingId: z.string().nullable().catch(null),
	buildingChosen: z.boolean().catch(false),
	unit: z.string().catch(''),
	purpose: visitPurpose.nullable().catch(null),
	summary: z.string().catch(''),
	residentsMet: z.number().int().nonnegative().nullable().catch(null),
	needsFollowUp: z.boolean().catch(false),
	visitedAt: z.iso.datetime({ offset: true }).nullable().catch(null)
});

export function visitFieldsFromDraft(value: unknown): VisitFormFields | null {
	const parsed = visitDraft.safeParse(value);
	return parsed.success ? parsed.data : null;
}

/** A saved visit as the form shows it for editing. */
export function visitFieldsFromRecord(record: Visit): VisitFormFields {
	return {
		buildingId: record.buildingId,
		buildingChosen: true,
		unit: record.unit ?? '',
		purpose: record.purpose,
		summary: record.summary,
		residentsMet: record.residentsMet,
		needsFollowUp: record.needsFollowUp,
		visitedAt: record.visitedAt
	};
}

/** The visit the form describes; the location is the person's own fix when there is one (optional). */
export function assembleVisit(
	f: VisitFormFields,
	{
		id,
		by,
		now,
		place,
		fix
	}: { id: string; by: string; now: Date; place: PlaceChoice | null; fix: GpsFix | null }
): Record<string, unknown> {
	const unit = f.unit.trim();
	return {
		id,
		gridId: place?.building.gridId,
		buildingId: place?.building.id,
		unit: unit || null,
		purpose: f.purpose ?? undefined,
		summary: f.summary.trim(),
		residentsMet: f.residentsMet ?? undefined,
		needsFollowUp: f.needsFollowUp,
		location: fix ? { lat: fix.lat, lng: fix.lng, accuracy: Math.round(fix.accuracy) } : null,
		visitedAt: f.visitedAt ?? now.toISOString(),
		by
	};
}

export type VisitField = 'place' | 'unit' | 'purpose' | 'summary' | 'residentsMet' | 'form';
export type VisitErrors = Partial<Record<VisitField, FormMessage>>;

const visitFieldOf: Record<string, VisitField> = {
	gridId: 'place',
	buildingId: 'place',
	unit: 'unit',
	purpose: 'purpose',
	summary: 'summary',
	residentsMet: 'residentsMet'
};

function visitMessage(field: VisitField, issue: IssueLike): FormMessage {
	if (issue.code === 'too_big' && field !== 'residentsMet') {
		return { key: 'feedback.error.tooLong', params: { max: Number(issue.maximum) } };
	}
	switch (field) {
		case 'place':
		case 'purpose':
		case 'summary':
		case 'residentsMet':
			return { key: `visit.error.${field}` };
		default:
			return { key: 'observe.error.invalid' };
	}
}

export function visitErrors(issues: readonly IssueLike[]): VisitErrors {
	const errors: VisitErrors = {};
	for (const issue of issues) {
		const field = visitFieldOf[headOf(issue)] ?? 'form';
		errors[field] ??= visitMessage(field, issue);
	}
	return errors;
}

export function validateVisit(
	candidate: unknown
): { ok: true; value: Visit } | { ok: false; errors: VisitErrors } {
	const parsed = visit.safeParse(candidate);
	return parsed.success
		? { ok: true, value: parsed.data }
		: { ok: false, errors: visitErrors(parsed.error.issues) };
}
