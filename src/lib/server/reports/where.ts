import { sql, type SQL } from 'drizzle-orm';
import type { ReviewFilters, Scope } from '$lib/domain';
import type { Db } from '../db';

/**
 * The pieces every report shares: the person's scope and the dashboard's place filters as SQL on a
 * table alias, local days as instants, and rows from `db.execute` on either driver.
 */
export interface ReportContext {
	db: Db;
	scope: Scope;
	/** The district's IANA time zone: days, weeks and months are local. */
	timeZone: string;
	now?: Date;
}

const column = (alias: string, name: string) => sql.raw(`${alias}.${name}`);

/** Rows of `alias` inside the scope (a coordinator's communities) and the place filters. */
export function placeWhere(alias: string, scope: Scope, filters: ReviewFilters, withGrid = true): SQL {
	const parts: SQL[] = [sql`${column(alias, 'deleted_at')} IS NULL`];
	if (!scope.all) parts.push(sql`${column(alias, 'community_id')} = ANY(${uuidArray(scope.communityIds)})`);
	if (filters.communityId) parts.push(sql`${column(alias, 'community_id')} = ${filters.communityId}::uuid`);
	if (filters.compoundId) parts.push(sql`${column(alias, 'compound_id')} = ${filters.compoundId}::uuid`);
	if (filters.gridId && withGrid) parts.push(sql`${column(alias, 'grid_id')} = ${filters.gridId}::uuid`);
	return sql.join(parts, sql` AND `);
}

/** A uuid[] parameter; written as a literal so that both drivers bind it the same way. */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** The instant the local day `day` (YYYY-MM-DD) begins. */
export const dayStart = (day: string, timeZone: string) =>
	sql`(${day}::date::timestamp AT TIME ZONE ${timeZone})`;
/** The instant after the local day `day` ends. */
export const dayEnd = (day: string, timeZone: string) =>
	sql`((${day}::date + 1)::timestamp AT TIME ZONE ${timeZone})`;

export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
	const result = await db.execute(query);
	return (result as unknown as { rows: T[] }).rows;
}

/** Today's date (YYYY-MM-DD) in the district. */
export function localDay(at: Date, timeZone: string): string {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(at);
}

export const addDays = (day: string, days: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A timestamptz as ISO 8601 text: the drivers hand timestamps back differently (Date or text). */
export const isoText = (expression: SQL) =>
	sql`to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
