import {
	templateDraft,
	templateProblems,
	templateRevision,
	type ChecklistItem,
	type ChecklistItemType,
	type ChecklistTemplate,
	type I18nText,
	type SubtypeKey
} from '$lib/domain';
import type { MessageKey } from '$lib/i18n';
import type { FormMessage } from '../patrol/checklist';

/**
 * /review/checklists: a template as the editor holds it while a coordinator changes it. Every field is
 * always there (a type switched back keeps its choices); `draftOf` makes the body the server takes, and
 * `editorProblems` checks it with the same shared schema the server uses, by field path.
 */
export interface EditorChoice {
	uid: number;
	value: string;
	label: I18nText;
}

export interface EditorItem {
	uid: number;
	key: string;
	label: I18nText;
	type: ChecklistItemType;
	required: boolean;
	choices: EditorChoice[];
	/** yes_no: which answer fails the item ('' never). */
	failYesNo: '' | 'yes' | 'no';
	/** count: the count from which it fails, as typed ('' never). */
	failAtLeast: string;
	/** choice: the uids of the choices that fail it. */
	failChoices: number[];
	spawns: SubtypeKey | '';
}

export interface EditorState {
	title: I18nText;
	items: EditorItem[];
}

let uids = 0;
const nextUid = () => ++uids;

function editorItem(item: ChecklistItem): EditorItem {
	const choices = (item.choices ?? []).map((c) => ({
		uid: nextUid(),
		value: c.value,
		label: { ...c.label }
	}));
	const rule = item.failWhen;
	return {
		uid: nextUid(),
		key: item.key,
		label: { ...item.label },
		type: item.type,
		required: item.required,
		choices,
		failYesNo: typeof rule === 'boolean' ? (rule ? 'yes' : 'no') : '',
		failAtLeast: rule && typeof rule === 'object' && !Array.isArray(rule) ? String(rule.atLeast) : '',
		failChoices: Array.isArray(rule) ? choices.filter((c) => rule.includes(c.value)).map((c) => c.uid) : [],
		spawns: item.spawns ?? ''
	};
}

/** The editor's copy of a template (its newest version), or an empty new one. */
export function editorOf(template?: ChecklistTemplate): EditorState {
	if (!template) return { title: { zh: '', en: '' }, items: [blankItem([])] };
	return { title: { ...template.title }, items: template.items.map(editorItem) };
}

/** `base_2`, `base_3` … : the first of these not taken. */
function freeName(base: string, taken: Set<string>): string {
	for (let n = taken.size + 1; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** A new yes/no item with a key no other item has (the key is what answers are stored under). */
export function blankItem(items: readonly EditorItem[]): EditorItem {
	return {
		uid: nextUid(),
		key: freeName('item', new Set(items.map((i) => i.key))),
		label: { zh: '', en: '' },
		type: 'yes_no',
		required: true,
		choices: [],
		failYesNo: '',
		failAtLeast: '',
		failChoices: [],
		spawns: ''
	};
}

export function blankChoice(item: EditorItem): EditorChoice {
	return {
		uid: nextUid(),
		value: freeName('option', new Set(item.choices.map((c) => c.value))),
		label: { zh: '', en: '' }
	};
}

/** The items with the one at `index` moved by `by` places (kept within the list). */
export function moved<T>(items: readonly T[], index: number, by: number): T[] {
	const to = Math.max(0, Math.min(items.length - 1, index + by));
	const next = [...items];
	const [item] = next.splice(index, 1);
	next.splice(to, 0, item);
	return next;
}

const trimmed = (text: I18nText): I18nText => ({ zh: text.zh.trim(), en: text.en.trim() });

function failWhenOf(item: EditorItem): ChecklistItem['failWhen'] {
	switch (item.type) {
		case 'yes_no':
			return item.failYesNo === '' ? undefined : item.failYesNo === 'yes';
		case 'count':
			return item.failAtLeast.trim() === '' ? undefined : { atLeast: Number(item.failAtLeast) };
		case 'choice': {
			const values = item.choices.filter((c) => item.failChoices.includes(c.uid)).map((c) => c.value);
			return values.length ? values : undefined;
		}
		default:
			return undefined;
	}
}

/** The body the server takes: what each type uses, texts trimmed. */
export function draftOf(state: EditorState) {
	return {
		title: trimmed(state.title),
		items: state.items.map((item) => {
			const failWhen = failWhenOf(item);
			const canFail = item.type !== 'text' && item.type !== 'photo';
			return {
				key: item.key.trim(),
				label: trimmed(item.label),
				type: item.type,
				required: item.required,
				...(item.type === 'choice'
					? { choices: item.choices.map((c) => ({ value: c.value.trim(), label: trimmed(c.label) })) }
					: {}),
				...(failWhen === undefined ? {} : { failWhen }),
				...(canFail && item.spawns ? { spawns: item.spawns } : {})
			};
		})
	};
}

/** The problems of the editor's template by field path (`items.1.choices`), in the person's words. */
export function editorProblems(state: EditorState, baseVersion: number | null): Map<string, FormMessage> {
	const draft = draftOf(state);
	const parsed =
		baseVersion === null
			? templateDraft.safeParse(draft)
			: templateRevision.safeParse({ ...draft, baseVersion });
	const problems = new Map<string, FormMessage>();
	if (parsed.success) return problems;
	for (const problem of templateProblems(parsed.error))
		if (!problems.has(problem.path))
			problems.set(problem.path, {
				key: `checklists.problem.${problem.code}` as MessageKey,
				params: problem.params
			});
	return problems;
}
