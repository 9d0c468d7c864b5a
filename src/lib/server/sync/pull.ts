import { and, eq, getTableColumns, gte, inArray, isNull, lte, not, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Actor } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import type { Change, PullRequest, PullResponse } from '$lib/sync/protocol';
import type { Db } from '../db';
import { syncClients } from '../db/schema';
import { changedRows, newestVersion, type ChangedRow } from './changeFeed';
import { mustReload, readClientGroup, saveClientGroup, scopeFingerprint } from './clientGroups';
import type { Tx } from './storage';
import { collectionTables } from './tables';
import { tombstoneHorizon } from './tombstones';
import { requireServableVersions } from './versions';
import { followers, readableRecord, visibleTo } from './visibility';

interface Page {
	rows: ChangedRow[];
	hasMore: boolean;
}

/**
 * One page of `POST /api/sync/pull` (DESIGN.md §3): the changes after the cursor that the person may
 * see, in version order, read in one snapshot so the page is consistent. A row that changed but is no
 * longer visible to them is sent as `del`. A cursor of `0` means the same as none: a device with nothing.
 */
export async function pullPage(
	db: Db,
	actor: Actor,
	request: PullRequest,
	now = new Date()
): Promise<PullResponse> {
	requireServableVersions(request);
	const after = Number(request.cursor ?? 0);
	const scopeHash = scopeFingerprint(actor);
	const { response, loadVersion, group } = await db.transaction(
		async (tx) => {
			const group = await readClientGroup(tx, request.clientGroupId);
			const horizon = await tombstoneHorizon(tx);
			// Purged tombstones took their versions with them; the horizon still counts as handed out.
			const newest = Math.max(await newestVersion(tx), horizon);
			const reset = after > 0 && mustReload(group, { userId: actor.id, scopeHash, after, newest, horizon });
			// From scratch (first load or reset) the device holds nothing, so what it may not see is skipped.
			const from = reset ? 0 : after;
			const loadVersion = from > 0 && group ? group.loadVersion : newest;
			let page = await selectPage(tx, actor, { from, loadVersion, limit: request.limit });
			if (reset) page = endingAwayFrom(page, after);
			const response: PullResponse = {
				cursor: String(page.rows.at(-1)?.version ?? from),
				hasMore: page.hasMore,
				lastMutationIds: await lastMutationIds(tx, actor, request.clientGroupId),
				changes: await toChanges(tx, actor, page.rows, from),
				reset
			};
			return { response, loadVersion, group };
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
	await saveClientGroup(
		db,
		{
			clientGroupId: request.clientGroupId,
			userId: actor.id,
			scopeHash,
			loadVersion,
			resetFrom: response.reset ? after : null,
			lastPullAt: now
		},
		group
	);
	return response;
}

/** Up to `limit` changes; a page ends between two versions, never inside one, so rows written together arrive together. */
async function selectPage(
	tx: Tx,
	actor: Actor,
	{ from, loadVersion, limit }: { from: number; loadVersion: number; limit: number }
): Promise<Page> {
	const rows = await changedRows(tx, actor, { after: from, loadVersion, limit: limit + 1 });
	if (rows.length <= limit) return { rows, hasMore: false };
	const next = rows[limit].version;
	const whole = rows.slice(0, limit).filter((row) => row.version < next);
	if (whole.length) return { rows: whole, hasMore: true };
	// One version holds more rows than a page: it goes whole.
	const single = await changedRows(tx, actor, { after: next - 1, through: next, loadVersion });
	const beyond = await changedRows(tx, actor, { after: next, loadVersion, limit: 1 });
	return { rows: single, hasMore: beyond.length > 0 };
}

/**
 * A reset page must not end at the stale cursor it answers: the device's next cursor is how the
 * server tells an applied reset from a lost one. Dropping the last version (or everything, leaving
 * cursor 0) keeps them apart; the device gets those rows on the next page.
 */
function endingAwayFrom(page: Page, stale: number): Page {
	if (page.rows.at(-1)?.version !== stale) return page;
	return { rows: page.rows.filter((row) => row.version !== stale), hasMore: true };
}

/** Every client of the group that belongs to this person → the last mutation the server has answered. */
async function lastMutationIds(tx: Tx, actor: Actor, clientGroupId: string): Promise<Record<string, number>> {
	const clients = await tx
		.select({ clientId: syncClients.clientId, lastMutationId: syncClients.lastMutationId })
		.from(syncClients)
		.where(and(eq(syncClients.clientGroupId, clientGroupId), eq(syncClients.userId, actor.id)));
	return Object.fromEntries(clients.map((c) => [c.clientId, Number(c.lastMutationId)]));
}

async function toChanges(tx: Tx, actor: Actor, rows: ChangedRow[], from: number): Promise<Change[]> {
	const records = await readRecords(
		tx,
		actor,
		rows.filter((row) => row.visible)
	);
	const leaving = from > 0 ? await leavingWithParents(tx, actor, rows, from) : new Map<string, Change[]>();
	return rows.flatMap((row): Change[] => {
		const { collection, id, version } = row;
		const change: Change = row.visible
			? { collection, id, op: 'put', record: records.get(rowKey(row))!, version }
			: { collection, id, op: 'del', version };
		return [change, ...(leaving.get(rowKey(row)) ?? [])];
	});
}

const rowKey = (row: { collection: CollectionName; id: string; version: number }) =>
	`${row.collection}:${row.id}:${row.version}`;

function tableOf(collection: CollectionName) {
	const table: PgTable = collectionTables[collection];
	return { table, columns: getTableColumns(table) as Record<string, PgColumn> };
}

/**
 * The records behind the visible rows, as the person may read them, keyed by `rowKey`: per collection one
 * query by the page's version range (the version index) and the ids as one array parameter.
 */
async function readRecords(
	tx: Tx,
	actor: Actor,
	rows: ChangedRow[]
): Promise<Map<string, Record<string, unknown>>> {
	const records = new Map<string, Record<string, unknown>>();
	const wanted = new Set(rows.map(rowKey));
	for (const [collection, changed] of groupByCollection(rows)) {
		const { table, columns } = tableOf(collection);
		const found = (await tx
			.select()
			.from(table)
			.where(
				and(
					// The rows come in version order.
					gte(columns.syncVersion, changed[0].version),
					lte(columns.syncVersion, changed.at(-1)!.version),
					sql`${columns.id} = any(${sql.param(changed.map((row) => row.id))})`
				)
			)) as Record<string, unknown>[];
		for (const row of found) {
			const key = rowKey({ collection, id: String(row.id), version: Number(row.syncVersion) });
			// A template's other versions share its id.
			if (wanted.has(key)) records.set(key, readableRecord(collection, actor, row));
		}
	}
	return records;
}

/**
 * For each parent row in the page that the person no longer sees, the `del`s of its followers that
 * left with it and were written at or before the cursor (later ones come in their own right). They carry
 * the parent's version and follow it in the page.
 */
async function leavingWithParents(
	tx: Tx,
	actor: Actor,
	rows: ChangedRow[],
	from: number
): Promise<Map<string, Change[]>> {
	const leaving = new Map<string, Change[]>();
	for (const [collection, parents] of groupByCollection(rows.filter((row) => !row.visible))) {
		const follower = followers[collection];
		if (!follower) continue;
		const { table, columns } = tableOf(follower.collection);
		const children = await tx
			.select({ id: columns.id, parentId: follower.parent })
			.from(table)
			.where(
				and(
					inArray(
						follower.parent,
						parents.map((row) => row.id)
					),
					lte(columns.syncVersion, from),
					isNull(columns.deletedAt),
					not(visibleTo(follower.collection, actor))
				)
			)
			.orderBy(columns.id);
		for (const parent of parents) {
			const dels = children
				.filter((child) => child.parentId === parent.id)
				.map((child): Change => ({
					collection: follower.collection,
					id: String(child.id),
					op: 'del',
					version: parent.version
				}));
			if (dels.length) leaving.set(rowKey(parent), dels);
		}
	}
	return leaving;
}

function groupByCollection(rows: ChangedRow[]): Map<CollectionName, ChangedRow[]> {
	const groups = new Map<CollectionName, ChangedRow[]>();
	for (const row of rows) {
		const group = groups.get(row.collection);
		if (group) group.push(row);
		else groups.set(row.collection, [row]);
	}
	return groups;
}
