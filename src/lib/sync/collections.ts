import type { z } from 'zod';
import {
	building,
	caseEvent,
	caseRecord,
	checklistTemplate,
	community,
	compound,
	feedback,
	grid,
	observation,
	patrol,
	survey,
	team,
	user,
	visit
} from '$lib/domain';

/**
 * The collection registry: every record type the device keeps and the server syncs, with what a
 * device may do to it. The sync engine is generic over this table (DESIGN.md §2): a new record type
 * is one entry here, one Dexie table and one Drizzle table.
 *
 * - `reference`: server-managed, pulled read-only.
 * - `create`: devices may create it (`<name>.create`).
 * - `editable`: fields the author may change with `<name>.update` (merged field by field).
 * - `deletable`: the author may delete it (`<name>.delete`, a tombstone on the server).
 * - `appendOnly`: never updated or deleted, so it never conflicts.
 */
export interface CollectionSpec<S extends z.ZodType = z.ZodType> {
	schema: S;
	reference?: boolean;
	create?: boolean;
	editable?: readonly string[];
	deletable?: boolean;
	appendOnly?: boolean;
	/** Dexie index list beyond the primary key `id`, for the device's queries (`[by+<time>]`: /mine's newest first). */
	indexes: readonly string[];
}

export const collections = {
	community: { schema: community, reference: true, indexes: ['code'] },
	compound: { schema: compound, reference: true, indexes: ['communityId'] },
	grid: { schema: grid, reference: true, indexes: ['communityId', 'leaderUserId'] },
	building: { schema: building, reference: true, indexes: ['compoundId', 'gridId'] },
	team: { schema: team, reference: true, indexes: [] },
	checklistTemplate: { schema: checklistTemplate, reference: true, indexes: ['version'] },
	user: { schema: user, reference: true, indexes: ['role', 'teamId'] },
	patrol: {
		schema: patrol,
		create: true,
		editable: ['answers', 'track', 'finishedAt', 'status', 'gridId'],
		deletable: true,
		indexes: ['compoundId', 'by', 'status', 'startedAt', '[by+startedAt]']
	},
	observation: {
		schema: observation,
		create: true,
		editable: ['severity', 'note', 'photos', 'location', 'buildingId', 'gridId', 'resolvedOnSpot'],
		deletable: true,
		indexes: ['compoundId', 'by', 'category', 'observedAt', 'patrolId', '[by+observedAt]']
	},
	feedback: {
		schema: feedback,
		create: true,
		editable: ['kind', 'topic', 'channel', 'text', 'resident', 'consentToContact', 'buildingId'],
		deletable: true,
		indexes: ['compoundId', 'by', 'kind', 'receivedAt', '[by+receivedAt]']
	},
	visit: {
		schema: visit,
		create: true,
		editable: ['unit', 'purpose', 'summary', 'residentsMet', 'needsFollowUp', 'location'],
		deletable: true,
		indexes: ['gridId', 'buildingId', 'by', 'visitedAt', '[by+visitedAt]']
	},
	survey: {
		schema: survey,
		create: true,
		editable: ['scores'],
		indexes: ['compoundId', 'month', 'by']
	},
	case: {
		schema: caseRecord,
		editable: ['title', 'priority', 'category', 'dueAt'],
		indexes: ['compoundId', 'gridId', 'status', 'assigneeId', 'updatedAt', 'dueAt']
	},
	caseEvent: { schema: caseEvent, appendOnly: true, indexes: ['caseId', 'at'] }
} as const satisfies Record<string, CollectionSpec>;

export type CollectionName = keyof typeof collections;
export const collectionNames = Object.keys(collections) as CollectionName[];
export type RecordOf<C extends CollectionName> = z.infer<(typeof collections)[C]['schema']>;

export function isCollectionName(value: string): value is CollectionName {
	return Object.hasOwn(collections, value);
}
