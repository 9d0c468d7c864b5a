import type { CollectionName } from '$lib/sync/collections';

/** The record types a person authors in the field, in the order the type filter offers them. */
export const mineCollections = ['observation', 'feedback', 'visit', 'patrol'] as const;
export type MineCollection = (typeof mineCollections)[number];

export function isMineCollection(value: string): value is MineCollection {
	return (mineCollections as readonly string[]).includes(value);
}

/** Where a record stands between this device and the server. */
export const recordStates = ['pending', 'synced', 'attention'] as const;
export type RecordState = (typeof recordStates)[number];

export function isRecordState(value: unknown): value is RecordState {
	return typeof value === 'string' && (recordStates as readonly string[]).includes(value);
}

/** The field that says when a record of each type happened: the list's order and its date filter. */
export const timeField: Record<MineCollection, string> = {
	observation: 'observedAt',
	feedback: 'receivedAt',
	visit: 'visitedAt',
	patrol: 'startedAt'
};

/** One line of the list, with what the filters and the search look at worked out once. */
export interface MineRow {
	collection: MineCollection;
	id: string;
	/** ISO time from `timeField`. */
	at: string;
	/** Epoch milliseconds of `at`, for sorting and the date range. */
	time: number;
	/** What it was, in words ("Fire lane blocked", "Complaint"). */
	title: string;
	/** The record's own words (note, text, summary), maybe empty. */
	text: string;
	/** The building (or compound) it is about. */
	place: string;
	state: RecordState;
	/** The server's reason when the state is "attention". */
	reason?: string;
	/** Lower-cased title, text and place: what the search box matches. */
	haystack: string;
}

/** "Needs attention" wins over "saved on this device": a refused change must be seen first. */
export function recordState(id: string, pending: ReadonlySet<string>, refused: ReadonlyMap<string, string>) {
	if (refused.has(id)) return 'attention' as const;
	if (pending.has(id)) return 'pending' as const;
	return 'synced' as const;
}

/** What the page knows how to say about a record: labels looked up in the person's language. */
export interface RowWords {
	title(collection: MineCollection, record: Record<string, unknown>): string;
	place(record: Record<string, unknown>): string;
}

const textField: Record<MineCollection, string> = {
	observation: 'note',
	feedback: 'text',
	visit: 'summary',
	patrol: 'status'
};

export function toRow(
	collection: MineCollection,
	record: Record<string, unknown>,
	words: RowWords,
	pending: ReadonlySet<string>,
	refused: ReadonlyMap<string, string>
): MineRow {
	const id = String(record.id);
	const at = String(record[timeField[collection]] ?? '');
	const title = words.title(collection, record);
	const text = collection === 'patrol' ? '' : String(record[textField[collection]] ?? '');
	const place = words.place(record);
	const state = recordState(id, pending, refused);
	return {
		collection,
		id,
		at,
		time: Date.parse(at) || 0,
		title,
		text,
		place,
		state,
		reason: refused.get(id),
		haystack: `${title}\n${text}\n${place}`.toLowerCase()
	};
}

/** Newest first; the id keeps the order of records of the same moment stable. */
export function newestFirst(a: MineRow, b: MineRow): number {
	return b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export interface MineFilter {
	collection: MineCollection | null;
	state: RecordState | null;
	/** Epoch milliseconds, inclusive; null for no bound. */
	from: number | null;
	/** Epoch milliseconds, exclusive; null for no bound. */
	until: number | null;
	search: string;
}

export const noFilter: MineFilter = { collection: null, state: null, from: null, until: null, search: '' };

/** The rows the filter lets through, in their order; every word of the search must appear. */
export function filterRows(rows: readonly MineRow[], filter: MineFilter): MineRow[] {
	const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
	return rows.filter(
		(row) =>
			(!filter.collection || row.collection === filter.collection) &&
			(!filter.state || row.state === filter.state) &&
			(filter.from === null || row.time >= filter.from) &&
			(filter.until === null || row.time < filter.until) &&
			words.every((word) => row.haystack.includes(word))
	);
}

/** A day of a date input ("2026-11-25") as local midnight, or the midnight after it (`end`). */
export function dayBound(day: string, end = false): number | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	if (!match) return null;
	const [, y, m, d] = match.map(Number);
	return new Date(y, m - 1, d + (end ? 1 : 0)).getTime();
}

/** How many of each state, for the filter's counts. */
export function stateCounts(rows: readonly MineRow[]): Record<RecordState, number> {
	const counts = { pending: 0, synced: 0, attention: 0 };
	for (const row of rows) counts[row.state]++;
	return counts;
}

/** The collections a refused mutation may name that this page lists. */
export function refusedFor(
	entries: readonly { collection: CollectionName; recordId: string; message: string }[],
	collection: MineCollection
): Map<string, string> {
	return new Map(entries.filter((e) => e.collection === collection).map((e) => [e.recordId, e.message]));
}
