import { z } from 'zod';
import {
	caseEventKind,
	caseSourceType,
	caseStatus,
	category,
	checklistItemType,
	feedbackChannel,
	feedbackKind,
	feedbackTopic,
	patrolStatus,
	priority,
	role,
	severity,
	subtype,
	surveyAspects,
	visitPurpose
} from './enums';
import { gpsFix, lat, latLng, lng, polygon } from './geo';
import { i18nText, isoTime, month, recordId } from './ids';

const name = z.string().trim().min(1).max(100);
const note = z.string().max(2000);
const count = z.number().int().nonnegative().max(100_000);

/** A photo is referred to by its content hash; the bytes live in the blob store. */
export const photoRef = z.object({
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	mime: z.enum(['image/jpeg', 'image/png', 'image/webp']),
	bytes: z.number().int().positive(),
	width: z.number().int().positive().max(20_000),
	height: z.number().int().positive().max(20_000)
});
export type PhotoRef = z.infer<typeof photoRef>;
/** Most photos one record (or one checklist answer) holds. */
export const maxPhotosPerRecord = 12;
const photos = z.array(photoRef).max(maxPhotosPerRecord);

/** Mainland China mobile number: 11 digits starting 1[3-9]. */
export const mainlandMobile = z.string().regex(/^1[3-9]\d{9}$/, 'phone');

// ---- reference data (server-managed, synced down read-only) ----

export const community = z.object({ id: recordId, name, code: z.string().min(1).max(40) });
export type Community = z.infer<typeof community>;

/** The district's own code of a compound, grid or building: imports match rows by it (unique per parent). */
export const referenceCode = z
	.string()
	.trim()
	.regex(/^[\p{L}\p{N}_.-]{1,40}$/u, 'code');

export const compound = z.object({
	id: recordId,
	communityId: recordId,
	code: referenceCode.nullable().optional(),
	name,
	address: z.string().max(200),
	households: count,
	boundary: polygon.nullable().optional(),
	centroid: latLng
});
export type Compound = z.infer<typeof compound>;

export const building = z.object({
	id: recordId,
	compoundId: recordId,
	gridId: recordId,
	code: referenceCode.nullable().optional(),
	name,
	units: count,
	floors: count,
	households: count,
	footprint: polygon.nullable().optional(),
	point: latLng
});
export type Building = z.infer<typeof building>;

export const grid = z.object({
	id: recordId,
	communityId: recordId,
	compoundIds: z.array(recordId),
	code: referenceCode.nullable().optional(),
	name,
	boundary: polygon,
	leaderUserId: recordId.nullable()
});
export type Grid = z.infer<typeof grid>;

export const team = z.object({ id: recordId, name, communityIds: z.array(recordId) });
export type Team = z.infer<typeof team>;

export const checklistItem = z.object({
	key: z.string().regex(/^[a-z0-9_]{1,40}$/),
	label: i18nText,
	type: checklistItemType,
	required: z.boolean(),
	choices: z.array(z.object({ value: z.string().min(1).max(40), label: i18nText })).optional(),
	/** The answer that counts as a failed item: `true`/`false` for yes_no, a minimum for count, choice values. */
	failWhen: z.union([z.boolean(), z.object({ atLeast: z.number() }), z.array(z.string())]).optional(),
	spawns: subtype.optional()
});
export type ChecklistItem = z.infer<typeof checklistItem>;

export const checklistTemplate = z.object({
	id: recordId,
	version: z.number().int().positive(),
	title: i18nText,
	items: z.array(checklistItem).min(1).max(100)
});
export type ChecklistTemplate = z.infer<typeof checklistTemplate>;

// ---- people ----

export const username = z
	.string()
	.trim()
	.min(2)
	.max(40)
	.regex(/^[a-z0-9_.-]+$/, 'username');

export const user = z.object({
	id: recordId,
	username,
	displayName: name,
	role,
	teamId: recordId.nullable().optional(),
	gridIds: z.array(recordId),
	communityIds: z.array(recordId),
	active: z.boolean()
});
export type User = z.infer<typeof user>;

// ---- field records (made on the device, synced up) ----

const byUser = recordId;

export const patrolAnswer = z.object({
	key: z.string().min(1).max(40),
	value: z.union([z.boolean(), z.number(), z.string().max(2000), z.null()]),
	note: note.optional(),
	photos
});
export type PatrolAnswer = z.infer<typeof patrolAnswer>;

export const patrol = z.object({
	id: recordId,
	templateId: recordId,
	templateVersion: z.number().int().positive(),
	compoundId: recordId,
	gridId: recordId.nullable().optional(),
	teamId: recordId.nullable().optional(),
	startedAt: isoTime,
	finishedAt: isoTime.nullable().optional(),
	answers: z.array(patrolAnswer).max(100),
	track: z
		.array(z.object({ lat, lng, t: isoTime }))
		.max(20_000)
		.nullable()
		.optional(),
	status: patrolStatus,
	by: byUser
});
export type Patrol = z.infer<typeof patrol>;

/** The fields of an observation, without the cross-field rule (for picking editable fields). */
export const observationFields = z.object({
	id: recordId,
	category,
	subtype,
	severity,
	location: gpsFix,
	compoundId: recordId,
	buildingId: recordId.nullable().optional(),
	gridId: recordId.nullable().optional(),
	note,
	photos,
	observedAt: isoTime,
	resolvedOnSpot: z.boolean(),
	patrolId: recordId.nullable().optional(),
	by: byUser
});
export const observation = observationFields.refine((o) => o.subtype.startsWith(`${o.category}.`), {
	message: 'subtype does not belong to category',
	path: ['subtype']
});
export type Observation = z.infer<typeof observation>;

export const resident = z.object({
	name: z.string().trim().max(50).optional(),
	phone: mainlandMobile.optional(),
	unit: z.string().trim().max(40).optional()
});
export type Resident = z.infer<typeof resident>;

/** The fields of a feedback record, without the consent rule (for picking editable fields). */
export const feedbackFields = z.object({
	id: recordId,
	kind: feedbackKind,
	topic: feedbackTopic,
	channel: feedbackChannel,
	text: z.string().trim().min(1).max(4000),
	resident: resident.nullable().optional(),
	consentToContact: z.boolean(),
	compoundId: recordId,
	buildingId: recordId.nullable().optional(),
	receivedAt: isoTime,
	by: byUser
});
export const feedback = feedbackFields.refine(
	(f) => !(f.resident?.name || f.resident?.phone) || f.consentToContact,
	{ message: 'consent', path: ['consentToContact'] }
);
export type Feedback = z.infer<typeof feedback>;

export const visit = z.object({
	id: recordId,
	gridId: recordId,
	buildingId: recordId,
	unit: z.string().trim().max(40).nullable().optional(),
	purpose: visitPurpose,
	summary: z.string().trim().min(1).max(4000),
	residentsMet: count,
	needsFollowUp: z.boolean(),
	location: gpsFix.nullable().optional(),
	visitedAt: isoTime,
	by: byUser
});
export type Visit = z.infer<typeof visit>;

const score = z.number().int().min(1).max(5);
export const survey = z.object({
	id: recordId,
	compoundId: recordId,
	month,
	scores: z.object(
		Object.fromEntries(surveyAspects.map((a) => [a, score])) as Record<
			(typeof surveyAspects)[number],
			typeof score
		>
	),
	by: byUser
});
export type Survey = z.infer<typeof survey>;

export const caseRecord = z.object({
	id: recordId,
	source: z.object({ type: caseSourceType, id: recordId }),
	title: z.string().trim().min(1).max(200),
	category,
	priority,
	compoundId: recordId,
	gridId: recordId.nullable().optional(),
	status: caseStatus,
	assigneeId: recordId.nullable().optional(),
	teamId: recordId.nullable().optional(),
	duplicateOf: recordId.nullable().optional(),
	dueAt: isoTime.nullable().optional(),
	resolution: z.string().max(4000).nullable().optional(),
	satisfaction: score.nullable().optional(),
	createdAt: isoTime,
	updatedAt: isoTime
});
export type CaseRecord = z.infer<typeof caseRecord>;

export const caseEvent = z.object({
	id: recordId,
	caseId: recordId,
	kind: caseEventKind,
	body: z.string().max(4000).nullable().optional(),
	from: caseStatus.nullable().optional(),
	to: caseStatus.nullable().optional(),
	photos,
	at: isoTime,
	by: byUser
});
export type CaseEvent = z.infer<typeof caseEvent>;
