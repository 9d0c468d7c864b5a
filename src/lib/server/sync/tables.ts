import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { collections, type CollectionName } from '$lib/sync/collections';
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
