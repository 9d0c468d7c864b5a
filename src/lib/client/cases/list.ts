import {
	caseStatuses,
	category as categorySchema,
	isOpenCase,
	isOverdue,
	type CaseRecord,
	type CaseStatus,
	type Category,
	type Priority
} from '$lib/domain';

/** The statuses a case on the list may have: those it can still move out of. */
export const openStatuses: readonly CaseStatus[] = caseStatuses.filter(isOpenCase);

/** Names of the places the device holds, to say where a case sits in words. */
export interface PlaceNames {
	compounds: ReadonlyMap<string, string>;
	grids: ReadonlyMap<string, string>;
}

/** One line of the cases list, with what sorting, filters and search look at worked out once. */
export interface CaseRow {
	id: string;
	title: string;
	category: Category;
	priority: Priority;
	status: CaseStatus;
	assigneeId: string | null;
	/** Compound and grid, in words. */
	place: string;
	createdAt: string;
	dueAt: string | null;
	overdue: boolean;
	/** Saved on this device, not yet acknowledged by the server. */
	pending: boolean;
	/** A change to it was refused by the server and waits for the person. */
	attention: boolean;
	/** Lower-cased title: what the search box matches. */
	haystack: string;
}

export function toCaseRow(
	record: CaseRecord,
	names: PlaceNames,
	now: Date,
	pending: ReadonlySet<string>,
	refused: ReadonlySet<string>
): CaseRow {
	const place = [names.compounds.get(record.compoundId), record.gridId && names.grids.get(record.gridId)]
		.filter(Boolean)
		.join(' · ');
	return {
		id: record.id,
		title: record.title,
		category: record.category,
		priority: record.priority,
		status: record.status,
		assigneeId: record.assigneeId ?? null,
		place,
		createdAt: record.createdAt,
		dueAt: record.dueAt ?? null,
		overdue: isOverdue(record, now),
		pending: pending.has(record.id),
		attention: refused.has(record.id),
		haystack: record.title.toLowerCase()
	};
}

const priorityRank: Readonly<Record<Priority, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };

/**
 * Most urgent first: what needs the person (a refusal), then overdue, then work still owed before work
 * done (resolved, waiting to be closed), then by priority, then newest. The id keeps cases of the same
 * moment in a stable order.
 */
export function mostUrgentFirst(a: CaseRow, b: CaseRow): number {
	return (
		Number(b.attention) - Number(a.attention) ||
		Number(b.overdue) - Number(a.overdue) ||
		Number(a.status === 'resolved') - Number(b.status === 'resolved') ||
		priorityRank[a.priority] - priorityRank[b.priority] ||
		Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
		(a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
	);
}

/** The list's filters, as the address keeps them (`?status=&category=&mine=1&overdue=1&q=`). */
export interface CaseFilter {
	status: CaseStatus | null;
	category: Category | null;
	/** Assigned to this person. */
	mine: boolean;
	overdue: boolean;
	search: string;
}

export const noCaseFilter: CaseFilter = {
	status: null,
	category: null,
	mine: false,
	overdue: false,
	search: ''
};

export function readCaseFilter(params: URLSearchParams): CaseFilter {
	const status = params.get('status');
	const category = categorySchema.safeParse(params.get('category'));
	return {
		status: openStatuses.includes(status as CaseStatus) ? (status as CaseStatus) : null,
		category: category.success ? category.data : null,
		mine: params.get('mine') === '1',
		overdue: params.get('overdue') === '1',
		search: params.get('q') ?? ''
	};
}

/** The filter as address parameters; empty ones are left out, so a plain list has a plain address. */
export function caseFilterParams(filter: CaseFilter): Record<string, string> {
	const params: Record<string, string> = {};
	if (filter.status) params.status = filter.status;
	if (filter.category) params.category = filter.category;
	if (filter.mine) params.mine = '1';
	if (filter.overdue) params.overdue = '1';
	if (filter.search.trim()) params.q = filter.search;
	return params;
}

export function isFiltered(filter: CaseFilter): boolean {
	return Object.keys(caseFilterParams(filter)).length > 0;
}

/** The rows the filter lets through, in their order; every word of the search must be in the title. */
export function filterCases<R extends CaseRow>(rows: readonly R[], filter: CaseFilter, userId: string): R[] {
	const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
	return rows.filter(
		(row) =>
			(!filter.status || row.status === filter.status) &&
			(!filter.category || row.category === filter.category) &&
			(!filter.mine || row.assigneeId === userId) &&
			(!filter.overdue || row.overdue) &&
			words.every((word) => row.haystack.includes(word))
	);
}

/**
 * The open cases the device holds (the server's pull has scoped them to the person), most urgent first.
 * A case with a refused change stays listed even if the device shows it closed meanwhile.
 */
export function openCaseRows(
	records: readonly CaseRecord[],
	names: PlaceNames,
	now: Date,
	pending: ReadonlySet<string>,
	refused: ReadonlySet<string>
): CaseRow[] {
	return records
		.filter((record) => isOpenCase(record.status) || refused.has(record.id))
		.map((record) => toCaseRow(record, names, now, pending, refused))
		.sort(mostUrgentFirst);
}
