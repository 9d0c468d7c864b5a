import { eq, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import {
	canSeeResident,
	caseStatuses,
	isOpenCase,
	maskResident,
	type Actor,
	type Resident
} from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import type { PgColumn } from 'drizzle-orm/pg-core';
import * as t from '../db/schema';
import { collectionTables, rowToRecord } from './tables';

/**
 * Who may read which rows (DOMAIN.md roles table), as SQL over each collection's table so that a pull
 * filters in the database. Each rule mirrors the domain's `inScope` / `canSeeRecord`; tombstones are
 * never visible.
 */

type Rule = (actor: Actor) => SQL;

const openStatuses = caseStatuses.filter(isOpenCase);

const wholeDistrict = (actor: Actor) => actor.role === 'admin' || actor.scope.all;

function among(column: AnyColumn, ids: readonly string[]): SQL {
	return ids.length ? inArray(column, [...ids]) : sql`false`;
}

/** A jsonb array of ids that shares at least one id with `ids`. */
function overlaps(column: AnyColumn, ids: readonly string[]): SQL {
	if (!ids.length) return sql`false`;
	return sql`${column} ?| array[${sql.join(
		ids.map((id) => sql`${id}`),
		sql`, `
	)}]::text[]`;
}

interface PlaceColumns {
	communityId?: AnyColumn;
	compoundId: AnyColumn;
	gridId?: AnyColumn;
}

/** `inScope` of domain/permissions.ts over a row's place columns. */
function placeInScope(actor: Actor, place: PlaceColumns): SQL {
	const { scope } = actor;
	if (scope.all) return sql`true`;
	switch (actor.role) {
		case 'admin':
			return sql`true`;
		case 'grid_leader':
			if (!place.gridId) return among(place.compoundId, scope.compoundIds);
			return sql`(case when ${place.gridId} is null then ${among(place.compoundId, scope.compoundIds)} else ${among(place.gridId, scope.gridIds)} end)`;
		case 'coordinator':
			return place.communityId
				? among(place.communityId, scope.communityIds)
				: among(place.compoundId, scope.compoundIds);
		case 'volunteer':
			return among(place.compoundId, scope.compoundIds);
	}
}

/** A field record: its author always; others who may `see` its place; volunteers only their own. */
const fieldRecord =
	(table: PlaceColumns & { by: AnyColumn }): Rule =>
	(actor) =>
		actor.role === 'volunteer'
			? eq(table.by, actor.id)
			: sql`(${eq(table.by, actor.id)} or ${placeInScope(actor, table)})`;

/** A case: in scope; for a volunteer only while open and in their team's compounds. */
const caseRule: Rule = (actor) =>
	actor.role === 'volunteer'
		? sql`(${among(t.cases.status, openStatuses)} and ${placeInScope(actor, t.cases)})`
		: placeInScope(actor, t.cases);

/** A person's communities: their own, their team's, or those of the grids they lead. */
function userInCommunities(communityIds: readonly string[]): SQL {
	const { users, teams, grids } = t;
	return sql`(${overlaps(users.communityIds, communityIds)}
		or ${users.teamId} in (select ${teams.id} from ${teams} where ${teams.deletedAt} is null and ${overlaps(teams.communityIds, communityIds)})
		or exists (select 1 from ${grids} where ${grids.deletedAt} is null and ${among(grids.communityId, communityIds)}
			and (${grids.leaderUserId} = ${users.id} or ${users.gridIds} ? ${grids.id}::text)))`;
}

const rules: Record<CollectionName, Rule> = {
	community: (actor) =>
		wholeDistrict(actor) ? sql`true` : among(t.communities.id, actor.scope.communityIds),
	compound: (actor) =>
		placeInScope(actor, { communityId: t.compounds.communityId, compoundId: t.compounds.id }),
	grid: (actor) => {
		if (wholeDistrict(actor)) return sql`true`;
		return actor.role === 'grid_leader'
			? among(t.grids.id, actor.scope.gridIds)
			: among(t.grids.communityId, actor.scope.communityIds);
	},
	building: (actor) => placeInScope(actor, t.buildings),
	team: (actor) => {
		if (wholeDistrict(actor)) return sql`true`;
		const own = actor.teamId ? eq(t.teams.id, actor.teamId) : sql`false`;
		return sql`(${own} or ${overlaps(t.teams.communityIds, actor.scope.communityIds)})`;
	},
	checklistTemplate: () => sql`true`,
	user: (actor) =>
		wholeDistrict(actor)
			? sql`true`
			: sql`(${eq(t.users.id, actor.id)} or ${userInCommunities(actor.scope.communityIds)})`,
	patrol: fieldRecord(t.patrols),
	observation: fieldRecord(t.observations),
	feedback: fieldRecord(t.feedback),
	visit: fieldRecord(t.visits),
	survey: fieldRecord(t.surveys),
	case: caseRule,
	// A volunteer sees the events of the cases they see, and their own.
	caseEvent: (actor) =>
		actor.role === 'volunteer'
			? sql`(${eq(t.caseEvents.by, actor.id)} or exists (select 1 from ${t.cases} where ${t.cases.id} = ${t.caseEvents.caseId} and ${t.cases.deletedAt} is null and ${caseRule(actor)}))`
			: fieldRecord(t.caseEvents)(actor)
};

/** Whether the actor may read a row of the collection now: SQL over the collection's table. */
export function visibleTo(collection: CollectionName, actor: Actor): SQL {
	return sql`(${collectionTables[collection].deletedAt} is null and ${rules[collection](actor)})`;
}

/**
 * Rows whose visibility follows a parent row's state rather than their own: when the parent leaves a
 * person's view (a case closes for a volunteer), the children they no longer see leave with it.
 */
export const followers: Partial<Record<CollectionName, { collection: CollectionName; parent: PgColumn }>> = {
	case: { collection: 'caseEvent', parent: t.caseEvents.caseId }
};

interface PlacedRow {
	by: string;
	communityId: string;
	compoundId: string;
	gridId: string | null;
}

/**
 * A visible row as the actor may read it: a resident's name and phone are masked unless
 * `canSeeResident` allows; a record on the server has synced, so a volunteer always reads them masked.
 */
export function readableRecord(
	collection: CollectionName,
	actor: Actor,
	row: object
): Record<string, unknown> {
	const record = rowToRecord(collection, row);
	const resident = record.resident as Resident | null | undefined;
	if (!resident) return record;
	const { by, communityId, compoundId, gridId } = row as PlacedRow;
	const place = { communityId, compoundId, gridId };
	return canSeeResident(actor, { by, place, synced: true })
		? record
		: { ...record, resident: maskResident(resident) };
}
