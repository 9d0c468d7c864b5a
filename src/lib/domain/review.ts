import { z } from 'zod';
import { recordId } from './ids';

/**
 * The filters of the review dashboard, shared by its page, its API and the exports: where (community,
 * compound, grid) and when (local dates, both ends included). Absent means "all I may see".
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const reviewFilters = z
	.object({
		communityId: recordId.optional(),
		compoundId: recordId.optional(),
		gridId: recordId.optional(),
		from: day.optional(),
		to: day.optional()
	})
	.refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'from ≤ to', path: ['to'] });
export type ReviewFilters = z.infer<typeof reviewFilters>;

export const reviewFilterNames = ['communityId', 'compoundId', 'gridId', 'from', 'to'] as const;

/** The filters in a query string; empty values count as absent. */
export function filtersFrom(query: URLSearchParams) {
	return reviewFilters.safeParse(
		Object.fromEntries(
			reviewFilterNames.flatMap((name) => (query.get(name) ? [[name, query.get(name)]] : []))
		)
	);
}

export function filtersQuery(filters: ReviewFilters): string {
	const query = new URLSearchParams();
	for (const name of reviewFilterNames) if (filters[name]) query.set(name, filters[name]!);
	return query.toString();
}

/** Weeks the dashboard's trend shows. */
export const trendWeeks = 12;

export const exportCollections = ['observations', 'cases', 'feedback', 'visits', 'patrols'] as const;
export type ExportCollection = (typeof exportCollections)[number];
export const exportFormats = ['csv', 'xlsx', 'geojson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** What `GET /api/dashboard` answers. */
export interface Dashboard {
	filters: ReviewFilters;
	/** The dates the figures cover, as applied (the default window when no dates were given). */
	from: string;
	to: string;
	totals: { observations: number; cases: number; open: number; overdue: number };
	casesByStatus: { status: string; count: number }[];
	casesByCategory: { category: string; count: number }[];
	observationsByCategory: { category: string; count: number }[];
	byCompound: {
		compoundId: string;
		compoundName: string;
		cases: number;
		open: number;
		observations: number;
	}[];
	overdue: {
		id: string;
		title: string;
		category: string;
		status: string;
		compoundName: string;
		dueAt: string;
	}[];
	/** Monday-based local weeks, oldest first. */
	trend: { week: string; observations: number; opened: number; resolved: number }[];
	mostOpen: { compoundId: string; compoundName: string; open: number; overdue: number }[];
	/** The places the filters can pick from, within the person's scope. */
	places: {
		communities: { id: string; name: string }[];
		compounds: { id: string; name: string; communityId: string }[];
		grids: { id: string; name: string; communityId: string; compoundIds: string[] }[];
	};
}

/** The place filters of the review pages, narrowest last: a community narrows the compounds and grids offered. */
const placeFilterNames = ['communityId', 'compoundId', 'gridId'] as const;
export type PlaceFilterName = (typeof placeFilterNames)[number];
type ChosenPlaces = Partial<Record<PlaceFilterName, string | null | undefined>>;

/** The compounds a place filter still offers: those of the chosen community. */
export function compoundsWithin<T extends { communityId: string }>(
	compounds: readonly T[],
	chosen: ChosenPlaces
): T[] {
	return compounds.filter((c) => !chosen.communityId || c.communityId === chosen.communityId);
}

/** The grids a place filter still offers: those of the chosen community and compound. */
export function gridsWithin<T extends { communityId: string; compoundIds: readonly string[] }>(
	grids: readonly T[],
	chosen: ChosenPlaces
): T[] {
	return grids.filter(
		(g) =>
			(!chosen.communityId || g.communityId === chosen.communityId) &&
			(!chosen.compoundId || g.compoundIds.includes(chosen.compoundId))
	);
}

/** A place chosen anew: the narrower choices, which it may no longer hold, are cleared to `none`. */
export function placeChosen<F extends ChosenPlaces>(
	filter: F,
	name: PlaceFilterName,
	value: F[PlaceFilterName],
	none: F[PlaceFilterName]
): F {
	const next = { ...filter, [name]: value };
	for (const narrower of placeFilterNames.slice(placeFilterNames.indexOf(name) + 1)) next[narrower] = none;
	return next;
}
