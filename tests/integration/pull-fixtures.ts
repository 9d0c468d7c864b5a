import { randomUUID } from 'node:crypto';
import type { Actor } from '$lib/domain';
import type { Db } from '$lib/server/db';
import { pullPage } from '$lib/server/sync/pull';
import type { CollectionName } from '$lib/sync/collections';
import { protocolVersion, schemaVersion, type Change, type PullResponse } from '$lib/sync/protocol';

export interface Puller {
	clientGroupId: string;
	actor: Actor;
	cursor: string | null;
	/** One page from `cursor` (default: the stored one); stores the new cursor. */
	page(limit?: number, cursor?: string | null): Promise<PullResponse>;
	/** Pages until nothing more is left; the pages as they came. */
	catchUp(limit?: number): Promise<PullResponse[]>;
}

/** A browser profile pulling as one person: it keeps its cursor like the device does. */
export function puller(db: Db, actor: Actor, clientGroupId = `group-${randomUUID()}`): Puller {
	const self: Puller = {
		clientGroupId,
		actor,
		cursor: null,
		async page(limit = 500, cursor = self.cursor): Promise<PullResponse> {
			const response = await pullPage(db, self.actor, {
				protocolVersion,
				schemaVersion,
				clientGroupId,
				cursor,
				limit
			});
			self.cursor = response.cursor;
			return response;
		},
		async catchUp(limit = 500): Promise<PullResponse[]> {
			const pages = [await self.page(limit)];
			while (pages.at(-1)!.hasMore) pages.push(await self.page(limit));
			return pages;
		}
	};
	return self;
}

export const changesOf = (pages: PullResponse[]): Change[] => pages.flatMap((page) => page.changes);

/** A device's copy after applying changes in order: `collection:id` → record. */
export function applyChanges(changes: Change[], copy = new Map<string, Record<string, unknown>>()) {
	for (const change of changes) {
		const key = `${change.collection}:${change.id}`;
		if (change.op === 'put') copy.set(key, change.record);
		else copy.delete(key);
	}
	return copy;
}

/** The ids a copy holds of one collection, sorted. */
export function idsIn(copy: Map<string, unknown>, collection: CollectionName): string[] {
	return [...copy.keys()]
		.filter((key) => key.startsWith(`${collection}:`))
		.map((key) => key.slice(collection.length + 1))
		.sort();
}

/** What a person holds after loading everything from scratch on a new device. */
export async function freshCopy(db: Db, actor: Actor) {
	return applyChanges(changesOf(await puller(db, actor).catchUp()));
}
