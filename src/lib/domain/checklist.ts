import { z } from 'zod';
import type { ChecklistItem, PatrolAnswer } from './records';

export type AnswerValue = PatrolAnswer['value'];

/** Whether an answer fails its item, per the item's `failWhen`. */
export function fails(item: ChecklistItem, value: AnswerValue): boolean {
	const rule = item.failWhen;
	if (rule === undefined || value === null) return false;
	if (typeof rule === 'boolean') return value === rule;
	if (Array.isArray(rule)) return typeof value === 'string' && rule.includes(value);
	return typeof value === 'number' && value >= rule.atLeast;
}

/** Largest count a checklist answer takes (a compound's e-bikes, litter spots …). */
export const maxCount = 10_000;

/** The values an item's answer may take; `null` is "not answered" (a photo item's answer is its photos). */
export function answerValue(item: ChecklistItem): z.ZodType<AnswerValue> {
	switch (item.type) {
		case 'yes_no':
			return z.boolean().nullable();
		case 'count':
			return z.number().int().nonnegative().max(maxCount).nullable();
		case 'choice':
			return z.enum((item.choices ?? []).map((choice) => choice.value) as [string, ...string[]]).nullable();
		case 'text':
			return z.string().max(2000).nullable();
		case 'photo':
			return z.null();
	}
}

/** Whether the item has an answer: a value, or for a photo item at least one photo (blank text is none). */
export function isAnswered(item: ChecklistItem, answer: PatrolAnswer | undefined): boolean {
	if (!answer) return false;
	if (item.type === 'photo') return answer.photos.length > 0;
	if (typeof answer.value === 'string') return answer.value.trim() !== '';
	return answer.value !== null;
}
