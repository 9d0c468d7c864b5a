import {
	answerValue,
	can,
	distanceMeters,
	fails,
	isAnswered,
	patrolAnswer,
	type Actor,
	type Category,
	type ChecklistItem,
	type ChecklistTemplate,
	type Compound,
	type I18nText,
	type LatLng,
	type Patrol,
	type PatrolAnswer,
	type SubtypeKey
} from '$lib/domain';
import type { Locale, MessageKey } from '$lib/i18n';

export interface FormMessage {
	key: MessageKey;
	params?: Record<string, string | number>;
}

/** A template's or an item's text in the person's language. */
export const inLocale = (text: I18nText, locale: Locale) => (locale === 'en' ? text.en : text.zh);

/** The newest version of each template the device holds, by title in the person's language. */
export function latestTemplates(
	templates: readonly ChecklistTemplate[],
	locale: Locale
): ChecklistTemplate[] {
	const newest = new Map<string, ChecklistTemplate>();
	for (const template of templates) {
		const kept = newest.get(template.id);
		if (!kept || kept.version < template.version) newest.set(template.id, template);
	}
	const collator = new Intl.Collator(locale);
	return [...newest.values()].sort((a, b) =>
		collator.compare(inLocale(a.title, locale), inLocale(b.title, locale))
	);
}

/** A compound the person may patrol, with its distance from them when their position is known. */
export interface CompoundChoice {
	compound: Compound;
	distance: number | null;
}

const folded = (text: string) => text.toLocaleLowerCase().replace(/\s+/g, '');

/**
 * The compounds of the device's reference data where the person may record (the server checks it again),
 * matching `query` by name or address, nearest first when the position is known, else by name.
 */
export function compoundChoices(
	actor: Actor,
	compounds: readonly Compound[],
	{ position, query = '', locale }: { position: LatLng | null; query?: string; locale: Locale }
): CompoundChoice[] {
	const wanted = folded(query);
	const collator = new Intl.Collator(locale, { numeric: true });
	return compounds
		.filter((c) => can(actor, 'record', { communityId: c.communityId, compoundId: c.id }))
		.filter((c) => !wanted || [c.name, c.address].some((text) => folded(text).includes(wanted)))
		.map((compound) => ({
			compound,
			distance: position ? distanceMeters(position, compound.centroid) : null
		}))
		.sort(
			(a, b) => (a.distance ?? 0) - (b.distance ?? 0) || collator.compare(a.compound.name, b.compound.name)
		);
}

/** The answer given to an item, if any. */
export function answerOf(answers: readonly PatrolAnswer[], key: string): PatrolAnswer | undefined {
	return answers.find((answer) => answer.key === key);
}

/** The answers with one item's answer changed (made when absent), in the template's order. */
export function withAnswer(
	template: ChecklistTemplate,
	answers: readonly PatrolAnswer[],
	key: string,
	change: Partial<Omit<PatrolAnswer, 'key'>>
): PatrolAnswer[] {
	const current = answerOf(answers, key) ?? { key, value: null, photos: [] };
	const next = { ...current, ...change };
	if (next.note === '') delete next.note;
	const byKey = new Map(answers.map((answer) => [answer.key, answer]));
	byKey.set(key, next);
	return template.items.flatMap((item) => byKey.get(item.key) ?? []);
}

export interface Progress {
	answered: number;
	total: number;
	/** Required items still without an answer. */
	missing: number;
	failed: number;
}

export function progressOf(template: ChecklistTemplate, answers: readonly PatrolAnswer[]): Progress {
	let answered = 0;
	let missing = 0;
	let failed = 0;
	for (const item of template.items) {
		const answer = answerOf(answers, item.key);
		if (isAnswered(item, answer)) answered++;
		else if (item.required) missing++;
		if (answer && fails(item, answer.value)) failed++;
	}
	return { answered, total: template.items.length, missing, failed };
}

/** Whether the item's answer fails it, so that the observation it spawns is offered. */
export function itemFails(item: ChecklistItem, answer: PatrolAnswer | undefined): boolean {
	return answer !== undefined && fails(item, answer.value);
}

/**
 * What is wrong with an item's answer, in the person's language, by the shared schemas: the answer's own
 * (note length, photos) and the value the item takes. `finishing` also asks for the required ones.
 */
export function answerProblem(
	item: ChecklistItem,
	answer: PatrolAnswer | undefined,
	{ finishing = false }: { finishing?: boolean } = {}
): FormMessage | null {
	if (answer) {
		const shape = patrolAnswer.safeParse(answer);
		if (!shape.success) {
			const issue = shape.error.issues[0];
			if (issue.path[0] === 'note' && issue.code === 'too_big')
				return { key: 'patrol.error.noteTooLong', params: { max: Number(issue.maximum) } };
			if (issue.path[0] === 'photos' && issue.code === 'too_big')
				return { key: 'observe.error.tooManyPhotos', params: { max: Number(issue.maximum) } };
		}
		const value = answerValue(item).safeParse(answer.value);
		if (!value.success) {
			const issue = value.error.issues[0];
			if (item.type === 'count') {
				return issue.code === 'too_big'
					? { key: 'patrol.error.countTooLarge', params: { max: Number(issue.maximum) } }
					: { key: 'patrol.error.count' };
			}
			if (item.type === 'text' && issue.code === 'too_big')
				return { key: 'patrol.error.noteTooLong', params: { max: Number(issue.maximum) } };
			return { key: 'observe.error.invalid' };
		}
		if (!shape.success) return { key: 'observe.error.invalid' };
	}
	if (finishing && item.required && !isAnswered(item, answer)) {
		return { key: item.type === 'photo' ? 'patrol.error.photoRequired' : 'patrol.error.required' };
	}
	return null;
}

/** The problems that keep a patrol from being finished, by item key (empty: it may be submitted). */
export function finishProblems(
	template: ChecklistTemplate,
	answers: readonly PatrolAnswer[]
): Map<string, FormMessage> {
	const problems = new Map<string, FormMessage>();
	for (const item of template.items) {
		const problem = answerProblem(item, answerOf(answers, item.key), { finishing: true });
		if (problem) problems.set(item.key, problem);
	}
	return problems;
}

/**
 * The answers as they are stored: blank text is no answer, and items the template no longer has are
 * dropped, so that a submitted patrol says only what was seen.
 */
export function cleanAnswers(template: ChecklistTemplate, answers: readonly PatrolAnswer[]): PatrolAnswer[] {
	return template.items.flatMap((item) => {
		const answer = answerOf(answers, item.key);
		if (!answer) return [];
		const value = typeof answer.value === 'string' ? answer.value.trim() || null : answer.value;
		const note = answer.note?.trim();
		return [{ key: answer.key, value, ...(note ? { note } : {}), photos: answer.photos }];
	});
}

/** The patrol of mine to offer back: the one in progress that I started last. */
export function resumablePatrol(patrols: readonly Patrol[], userId: string): Patrol | null {
	const mine = patrols.filter((p) => p.by === userId && p.status === 'draft');
	return mine.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0] ?? null;
}

/** Where to pick a patrol up: the first item without an answer, else the last one. */
export function resumeAt(template: ChecklistTemplate, answers: readonly PatrolAnswer[]): number {
	const index = template.items.findIndex((item) => !isAnswered(item, answerOf(answers, item.key)));
	return index === -1 ? template.items.length - 1 : index;
}

/** How an answer reads, in the person's language (for the review list and a spawned observation's note). */
export function answerText(
	item: ChecklistItem,
	answer: PatrolAnswer | undefined,
	locale: Locale,
	words: { yes: string; no: string; photos: (count: number) => string }
): string {
	if (!answer) return '';
	const value = answer.value;
	if (typeof value === 'boolean') return value ? words.yes : words.no;
	if (typeof value === 'number') return value.toLocaleString(locale);
	if (item.type === 'choice') {
		const choice = item.choices?.find((c) => c.value === value);
		return choice ? inLocale(choice.label, locale) : '';
	}
	if (typeof value === 'string') return value;
	return answer.photos.length > 0 ? words.photos(answer.photos.length) : '';
}

/** What the observation a failed item spawns starts with: its kind, where, the patrol and a note. */
export interface SpawnPrefill {
	patrolId: string;
	itemKey: string;
	category: Category;
	subtype: SubtypeKey;
	compoundId: string;
	note: string;
}

export function spawnPrefill(
	patrol: Patrol,
	template: ChecklistTemplate,
	key: string,
	locale: Locale,
	words: { yes: string; no: string; photos: (count: number) => string }
): SpawnPrefill | null {
	const item = template.items.find((i) => i.key === key);
	const answer = answerOf(patrol.answers, key);
	if (!item?.spawns || !itemFails(item, answer)) return null;
	const colon = locale === 'en' ? ': ' : '：';
	const said = `${inLocale(item.label, locale)}${colon}${answerText(item, answer, locale, words)}`;
	const note = answer?.note?.trim();
	return {
		patrolId: patrol.id,
		itemKey: key,
		category: item.spawns.split('.')[0] as Category,
		subtype: item.spawns,
		compoundId: patrol.compoundId,
		note: note ? `${said}\n${note}` : said
	};
}

/** Whether a failed item's observation is recorded: one of this patrol's observations of its subtype. */
export function spawnedRecorded(
	item: ChecklistItem,
	observations: readonly { patrolId?: string | null; subtype: string }[],
	patrolId: string
): boolean {
	return observations.some((o) => o.patrolId === patrolId && o.subtype === item.spawns);
}
