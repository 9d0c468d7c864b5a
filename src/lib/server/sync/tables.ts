import { eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Place } from '$lib/domain';
import { collections, type CollectionName } from '$lib/sync/collections';
import type { Db } from '../db';
import * as t from '../db/schema';
import { toRecord } from '../db/rows';

/** The table behind each collection of the registry. */
export const collectionTables = {
	community: t.communities,
	compound: t.compounds,
	grid: t.grids,
	building: t.buildings,
	team: t.teams,
	checklistTemplate: t.checklistTemplates,
	user: t.users,
	patrol: t.patrols,
	observation: t.observations,
	feedback: t.feedback,
	visit: t.visits,
	survey: t.surveys,
	case: t.cases,
	caseEvent: t.caseEvents
} as const satisfies Record<CollectionName, PgTable>;

/** The record's own fields, from its schema: only these leave the server (never a password hash). */
const fieldsCache = new Map<CollectionName, string[]>();
export function recordFields(collection: CollectionName): string[] {
	let fields = fieldsCache.get(collection);
	if (!fields) {
		fields = Object.keys((collections[collection].schema as unknown as z.ZodObject).shape);
		fieldsCache.set(collection, fields);
	}
	return fields;
}

/** A stored row as the domain record the wire carries (ISO times, null for absent optionals). */
export function rowToRecord(collection: CollectionName, row: object): Record<string, unknown> {
	return toRecord(row as never, recordFields(collection));
}

/**
 * Where a new record sits, derived from reference data (never trusted from the device): its
 * community, compound and grid. Null when a reference it names does not exist.
 */
export async function placeOfRecord(
	db: Db,
	collection: CollectionName,
	record: Record<string, unknown>
): Promise<Place | null> {
	const id = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : null);
	if (collection === 'caseEvent') {
		const [owner] = await db
			.select({ communityId: t.cases.communityId, compoundId: t.cases.compoundId, gridId: t.cases.gridId })
			.from(t.cases)
			.where(eq(t.cases.id, id('caseId') ?? ''));
		return owner ?? null;
	}
	let compoundId = id('compoundId');
	let gridId = id('gridId');
	const buildingId = id('buildingId');
	if (buildingId) {
		const [building] = await db
			.select({ compoundId: t.buildings.compoundId, gridId: t.buildings.gridId })
			.from(t.buildings)
			.where(eq(t.buildings.id, buildingId));
		if (!building) return null;
		if (compoundId && compoundId !== building.compoundId) return null;
		compoundId = building.compoundId;
		gridId ??= building.gridId;
	}
	if (!compoundId) return null;
	const [compound] = await db
		.select({ communityId: t.compounds.communityId })
		.from(t.compounds)
		.where(eq(t.compounds.id, compoundId));
	if (!compound) return null;
	if (gridId) {
		const [grid] = await db
			.select({ compoundIds: t.grids.compoundIds })
			.from(t.grids)
			.where(eq(t.grids.id, gridId));
		if (!grid || !grid.compoundIds.includes(compoundId)) return null;
	}
	return { communityId: compound.communityId, compoundId, gridId };
}
