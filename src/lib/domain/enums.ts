import { z } from 'zod';

export const roles = ['volunteer', 'grid_leader', 'coordinator', 'admin'] as const;
export const role = z.enum(roles);
export type Role = z.infer<typeof role>;

export const observationSubtypes = {
	parking: ['ebike_outside_bay', 'fire_lane_blocked', 'car_on_green', 'ebike_charging_indoors'],
	sanitation: ['overflowing_bin', 'unsorted_waste', 'litter', 'bulky_waste'],
	safety: ['light_broken', 'door_access', 'cctv_down', 'fire_hazard'],
	facility: ['elevator', 'water_leak'],
	other: ['other']
} as const;
export const categories = Object.keys(observationSubtypes) as (keyof typeof observationSubtypes)[];
export const category = z.enum(['parking', 'sanitation', 'safety', 'facility', 'other']);
export type Category = z.infer<typeof category>;
/** "parking.fire_lane_blocked" style keys, the category first. */
type Subtypes = typeof observationSubtypes;
/** Only the real pairs: `parking.fire_lane_blocked`, never `other.elevator`. */
export type SubtypeKey = { [C in keyof Subtypes]: `${C}.${Subtypes[C][number]}` }[keyof Subtypes];
export const subtypeKeys: SubtypeKey[] = categories.flatMap((c) =>
	observationSubtypes[c].map((s) => `${c}.${s}` as SubtypeKey)
);
export const subtype = z.enum(subtypeKeys as [SubtypeKey, ...SubtypeKey[]]);

export const severity = z.enum(['low', 'medium', 'high']);
export type Severity = z.infer<typeof severity>;

export const priority = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof priority>;

export const feedbackKind = z.enum(['suggestion', 'complaint', 'request', 'dispute', 'praise']);
export type FeedbackKind = z.infer<typeof feedbackKind>;

export const feedbackTopics = [
	'cleanliness',
	'safety',
	'parking',
	'greenery',
	'facilities',
	'noise',
	'neighbours',
	'property_fees',
	'other'
] as const;
export const feedbackTopic = z.enum(feedbackTopics);
export type FeedbackTopic = z.infer<typeof feedbackTopic>;

export const feedbackChannel = z.enum([
	'in_person',
	'wechat_group',
	'hotline',
	'discussion_hall',
	'visit',
	'online'
]);
export type FeedbackChannel = z.infer<typeof feedbackChannel>;

export const visitPurpose = z.enum(['routine', 'follow_up', 'elderly_care', 'dispute', 'policy', 'survey']);
export type VisitPurpose = z.infer<typeof visitPurpose>;

export const caseStatuses = [
	'reported',
	'triaged',
	'assigned',
	'in_progress',
	'resolved',
	'closed',
	'reopened',
	'duplicate',
	'rejected'
] as const;
export const caseStatus = z.enum(caseStatuses);
export type CaseStatus = z.infer<typeof caseStatus>;

export const caseSourceType = z.enum(['observation', 'feedback', 'visit', 'patrol']);
export type CaseSourceType = z.infer<typeof caseSourceType>;

export const caseEventKind = z.enum(['comment', 'transition', 'assignment']);
export type CaseEventKind = z.infer<typeof caseEventKind>;

export const checklistItemType = z.enum(['yes_no', 'count', 'choice', 'text', 'photo']);
export type ChecklistItemType = z.infer<typeof checklistItemType>;

export const patrolStatus = z.enum(['draft', 'submitted']);
export type PatrolStatus = z.infer<typeof patrolStatus>;

export const surveyAspects = ['cleanliness', 'safety', 'parking', 'responsiveness', 'overall'] as const;
