import { and, sql, type AnyColumn } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Actor } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import type { Db } from '../db';
import { caseEvents, observations, patrols } from '../db/schema';
import { collectionTables } from '../sync/tables';
import { visibleTo } from '../sync/visibility';

/** The records that show photos, and how a photo sits in each (found with `@>`, GIN-indexed). */
const photoHolders: {
	collection: CollectionName;
	column: AnyColumn;
	holding: (sha256: string) => unknown;
}[] = [
	{ collection: 'observation', column: observations.photos, holding: (sha256) => [{ sha256 }] },
	{ collection: 'caseEvent', column: caseEvents.photos, holding: (sha256) => [{ sha256 }] },
	{ collection: 'patrol', column: patrols.answers, holding: (sha256) => [{ photos: [{ sha256 }] }] }
];

/** Its uploader may read a photo, and whoever may see a record that shows it. */
export async function mayReadPhoto(
	db: Db,
	reader: Actor,
	photo: { sha256: string; uploadedBy: string }
): Promise<boolean> {
	if (photo.uploadedBy === reader.id) return true;
	for (const { collection, column, holding } of photoHolders) {
		const table: PgTable = collectionTables[collection];
		const [shown] = await db
			.select({ one: sql<number>`1` })
			.from(table)
			.where(
				and(sql`${column} @> ${JSON.stringify(holding(photo.sha256))}::jsonb`, visibleTo(collection, reader))
			)
			.limit(1);
		if (shown) return true;
	}
	return false;
}
