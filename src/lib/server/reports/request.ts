import { filtersFrom, month, previousMonth, recordId, type Person, type ReviewFilters } from '$lib/domain';
import { ApiError, requireRole } from '../http';
import { localDay } from './where';

/** What the review endpoints share: who may ask, and the query string read into checked filters. */
export const reviewerRoles = ['coordinator', 'admin'] as const;

export const requireReviewer = (user: Person | null) => requireRole(user, reviewerRoles);

const badQuery = (details: string) => new ApiError(400, 'BAD_REQUEST', 'error.badRequest', { details });

export function filtersOf(query: URLSearchParams): ReviewFilters {
	const parsed = filtersFrom(query);
	if (!parsed.success) throw badQuery(parsed.error.issues.map((i) => i.path.join('.')).join(', '));
	return parsed.data;
}

/** `?month=YYYY-MM`, by default the last full month in the district. */
export function monthOf(query: URLSearchParams, now: Date, timeZone: string): string {
	const asked = query.get('month');
	if (asked) {
		if (!month.safeParse(asked).success) throw badQuery('month');
		return asked;
	}
	return previousMonth(localDay(now, timeZone).slice(0, 7));
}

export function idParam(value: string | undefined): string {
	if (!recordId.safeParse(value).success) throw new ApiError(404, 'NOT_FOUND', 'error.notFound');
	return value!;
}

export function optionalId(query: URLSearchParams, name: string): string | undefined {
	const value = query.get(name);
	if (!value) return undefined;
	if (!recordId.safeParse(value).success) throw badQuery(name);
	return value;
}
