import { z } from 'zod';
import { i18nText, type I18nText } from './ids';
import { checklistItem, type ChecklistItem, type PatrolAnswer } from './records';

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

// ---- templates as coordinators write them (a new version at every save) ----

/** Most choices one choice item offers. */
export const maxChoices = 20;

/** What can be wrong with a template a person wrote; each has a message `checklists.problem.<code>`. */
export const templateProblemCodes = [
	'textMissing',
	'textTooLong',
	'keyFormat',
	'keyDuplicate',
	'noItems',
	'tooManyItems',
	'choicesMissing',
	'tooManyChoices',
	'choicesNotAllowed',
	'choiceValue',
	'choiceDuplicate',
	'failWhenYesNo',
	'failWhenCount',
	'failWhenChoice',
	'failWhenNone',
	'spawnsUnknown',
	'spawnsWithoutFailWhen',
	'invalid'
] as const;
export type TemplateProblemCode = (typeof templateProblemCodes)[number];

/** One problem, at a dotted path of the draft (`items.2.choices`), with its message's parameters. */
export interface TemplateProblem {
	path: string;
	code: TemplateProblemCode;
	params: Record<string, string | number>;
}

const templateFields = {
	title: i18nText,
	items: z.array(checklistItem).min(1).max(100)
};

type DraftShape = { title: I18nText; items: ChecklistItem[] };

/** The rules across fields that the item schema alone cannot say; each issue names its problem. */
function templateRules(draft: DraftShape, ctx: z.RefinementCtx) {
	const problem = (path: (string | number)[], code: TemplateProblemCode, params = {}) =>
		ctx.addIssue({ code: 'custom', path, message: code, params: { problem: code, ...params } });
	const blank = (text: I18nText, path: (string | number)[]) => {
		for (const lang of ['zh', 'en'] as const) if (!text[lang].trim()) problem([...path, lang], 'textMissing');
	};
	blank(draft.title, ['title']);
	const keys = new Set<string>();
	draft.items.forEach((item, i) => {
		const at = (...rest: (string | number)[]) => ['items', i, ...rest];
		if (keys.has(item.key)) problem(at('key'), 'keyDuplicate', { key: item.key });
		keys.add(item.key);
		blank(item.label, at('label'));
		const choices = item.choices ?? [];
		if (item.type === 'choice') {
			if (choices.length < 2) problem(at('choices'), 'choicesMissing');
			if (choices.length > maxChoices) problem(at('choices'), 'tooManyChoices', { max: maxChoices });
			const values = new Set<string>();
			choices.forEach((choice, j) => {
				if (values.has(choice.value))
					problem(at('choices', j, 'value'), 'choiceDuplicate', { value: choice.value });
				values.add(choice.value);
				blank(choice.label, at('choices', j, 'label'));
			});
		} else if (item.choices !== undefined) problem(at('choices'), 'choicesNotAllowed');
		const rule = item.failWhen;
		if (rule !== undefined) {
			if (item.type === 'yes_no' && typeof rule !== 'boolean') problem(at('failWhen'), 'failWhenYesNo');
			if (item.type === 'count') {
				const fits =
					typeof rule === 'object' &&
					!Array.isArray(rule) &&
					Number.isInteger(rule.atLeast) &&
					rule.atLeast >= 1 &&
					rule.atLeast <= maxCount;
				if (!fits) problem(at('failWhen'), 'failWhenCount', { max: maxCount });
			}
			if (item.type === 'choice') {
				const known = new Set(choices.map((c) => c.value));
				const fits = Array.isArray(rule) && rule.length > 0 && rule.every((value) => known.has(value));
				if (!fits) problem(at('failWhen'), 'failWhenChoice');
			}
			if (item.type === 'text' || item.type === 'photo') problem(at('failWhen'), 'failWhenNone');
		}
		if (item.spawns !== undefined && rule === undefined) problem(at('spawns'), 'spawnsWithoutFailWhen');
	});
}

/** A template's title and items as a coordinator saves them: the first version, or the next one. */
export const templateDraft = z.object(templateFields).superRefine(templateRules);
export type TemplateDraft = z.infer<typeof templateDraft>;

/** A new version of a template, written over the version the person started from (compare-and-set). */
export const templateRevision = z
	.object({ ...templateFields, baseVersion: z.number().int().positive() })
	.superRefine(templateRules);
export type TemplateRevision = z.infer<typeof templateRevision>;

/** Each issue of a draft's parse as the problem a person reads, at its path. */
export function templateProblems(error: z.ZodError): TemplateProblem[] {
	const problems = error.issues.map((issue): TemplateProblem => {
		const path = issue.path.map(String);
		const problem = (code: TemplateProblemCode, params: Record<string, string | number> = {}) => ({
			path: path.join('.'),
			code,
			params
		});
		if (issue.code === 'custom') {
			const { problem: code, ...params } = (issue.params ?? {}) as { problem?: TemplateProblemCode };
			return problem(code ?? 'invalid', params as Record<string, string | number>);
		}
		const last = path.at(-1);
		if (last === 'zh' || last === 'en') {
			return issue.code === 'too_big'
				? problem('textTooLong', { max: Number(issue.maximum) })
				: problem('textMissing');
		}
		if (last === 'key') return problem('keyFormat');
		if (last === 'value' && path.includes('choices')) return problem('choiceValue');
		if (last === 'spawns') return problem('spawnsUnknown');
		if (last === 'items' && issue.code === 'too_small') return problem('noItems');
		if (last === 'items' && issue.code === 'too_big')
			return problem('tooManyItems', { max: Number(issue.maximum) });
		return problem('invalid');
	});
	// A blank text fails both its length and the rules' own check: one message is enough.
	const seen = new Set<string>();
	return problems.filter((p) => {
		const key = `${p.path} ${p.code}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}
