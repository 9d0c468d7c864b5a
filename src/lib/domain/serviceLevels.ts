import type { CaseStatus, Category, FeedbackTopic } from './enums';
import type { CaseRecord } from './records';

/** Hours from triage to the due date, in calendar hours (residents wait through nights and weekends too). */
export const serviceLevelHours: Readonly<Record<Category, number>> = {
	safety: 24,
	sanitation: 48,
	parking: 72,
	facility: 72,
	other: 120
};

const hour = 60 * 60 * 1000;

export function dueAt(category: Category, from: Date): Date {
	return new Date(from.getTime() + serviceLevelHours[category] * hour);
}

/** Statuses in which no more work is owed, so a passed due date no longer counts against anyone. */
const workDone: ReadonlySet<CaseStatus> = new Set(['resolved', 'closed', 'duplicate', 'rejected']);

export function isOverdue(current: Pick<CaseRecord, 'status' | 'dueAt'>, now: Date): boolean {
	if (!current.dueAt || workDone.has(current.status)) return false;
	return now.getTime() > Date.parse(current.dueAt);
}

/** The kind of problem a resident's feedback topic is, for the case it opens. */
export const topicCategory: Readonly<Record<FeedbackTopic, Category>> = {
	cleanliness: 'sanitation',
	greenery: 'sanitation',
	safety: 'safety',
	parking: 'parking',
	facilities: 'facility',
	noise: 'other',
	neighbours: 'other',
	property_fees: 'other',
	other: 'other'
};
