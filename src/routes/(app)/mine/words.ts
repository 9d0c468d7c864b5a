import Dexie from 'dexie';
import type { DeviceDb, RejectedEntry, StoredRecord } from '$lib/client/db';
import { pendingIds } from '$lib/client/outbox';
import {
	isMineCollection,
	mineCollections,
	newestFirst,
	refusedFor,
	timeField,
	toRow,
	type MineCollection,
	type MineRow,
	type RowWords
} from '$lib/client/mine/records';
import type { MessageKey } from '$lib/i18n';
import { currentLocale, tr } from '$lib/i18n/current.svelte';

/** Where the list keeps its filters (as an address query) for a record's way back to it, per tab. */
export const listSearchKey = 'gridwalk:mine-search';

/** Names of the places and templates the device holds, to say where and what a record is in words. */
export interface Names {
	buildings: Map<string, string>;
	compounds: Map<string, string>;
	templates: Map<string, { zh: string; en: string }>;
}

/** The names the device holds; with `records`, only the ones those records refer to (a quicker read). */
export async function readNames(db: DeviceDb, records?: readonly StoredRecord[]): Promise<Names> {
	const referred = (field: string) => [...new Set(records!.map((r) => String(r[field])))];
	const [buildings, compounds, templates] = await Promise.all([
		records ? db.building.bulkGet(referred('buildingId')) : db.building.toArray(),
		records ? db.compound.bulkGet(referred('compoundId')) : db.compound.toArray(),
		db.checklistTemplate.toArray()
	]);
	const present = <T>(list: (T | undefined)[]) => list.filter((item): item is T => item !== undefined);
	return {
		buildings: new Map(present(buildings).map((b) => [b.id, b.name])),
		compounds: new Map(present(compounds).map((c) => [c.id, c.name])),
		templates: new Map(templates.map((t) => [t.id, t.title]))
	};
}

/** A label of an enum value; the value itself when the app has no words for it. */
export function label(prefix: string, value: unknown): string {
	const key = `${prefix}.${String(value)}` as MessageKey;
	const text = tr(key);
	return text === key ? String(value ?? '') : text;
}

export function collectionName(collection: MineCollection): string {
	return tr(`collection.${collection}`);
}

export function wordsFor(names: Names): RowWords {
	return {
		title(collection, record) {
			switch (collection) {
				case 'observation':
					return label('subtype', record.subtype);
				case 'feedback':
					return label('feedbackKind', record.kind);
				case 'visit':
					return label('visitPurpose', record.purpose);
				case 'patrol': {
					const title = names.templates.get(String(record.templateId));
					return title ? (currentLocale() === 'en' ? title.en : title.zh) : collectionName('patrol');
				}
			}
		},
		place(record) {
			const building = names.buildings.get(String(record.buildingId));
			const compound = names.compounds.get(String(record.compoundId));
			return [compound, building].filter(Boolean).join(' · ');
		}
	};
}

/** The refused changes of this page's collections, by the record they touched. */
export function refusedCreates(
	rejected: readonly RejectedEntry[]
): { collection: MineCollection; record: StoredRecord }[] {
	return rejected.flatMap((entry) =>
		isMineCollection(entry.collection) && entry.mutation.name === `${entry.collection}.create`
			? [{ collection: entry.collection, record: entry.mutation.args as StoredRecord }]
			: []
	);
}

/**
 * The person's newest `limit` records, for the list's first screen while the whole list is read: from the
 * `[by+<time>]` indexes, with only the names they need.
 */
export async function readNewestMine(db: DeviceDb, userId: string, limit: number): Promise<MineRow[]> {
	const newest = await Promise.all(
		mineCollections.map((collection) =>
			db
				.table<StoredRecord>(collection)
				.where(`[by+${timeField[collection]}]`)
				.between([userId, Dexie.minKey], [userId, Dexie.maxKey])
				.reverse()
				.limit(limit)
				.toArray()
		)
	);
	const [names, rejected] = await Promise.all([readNames(db, newest.flat()), db.rejected.toArray()]);
	const words = wordsFor(names);
	const rows = await Promise.all(
		mineCollections.map(async (collection, i) => {
			const pending = await pendingIds(
				db,
				collection,
				newest[i].map((r) => String(r.id))
			);
			const refused = refusedFor(rejected, collection);
			return newest[i].map((record) => toRow(collection, record, words, pending, refused));
		})
	);
	return rows.flat().sort(newestFirst).slice(0, limit);
}

/**
 * The person's records on this device, newest first, each with its state. A refused creation was undone on
 * the device, so its row comes from the refused change itself: it still needs the person's attention.
 */
export async function readMine(db: DeviceDb, userId: string, names: Names): Promise<MineRow[]> {
	const words = wordsFor(names);
	const rejected = await db.rejected.toArray();
	const rows: MineRow[] = [];
	const seen = new Set<string>();
	for (const collection of mineCollections) {
		const records = (await db
			.table<StoredRecord>(collection)
			.where('by')
			.equals(userId)
			.toArray()) as StoredRecord[];
		const pending = await pendingIds(db, collection);
		const refused = refusedFor(rejected, collection);
		for (const record of records) {
			rows.push(toRow(collection, record, words, pending, refused));
			seen.add(`${collection}/${String(record.id)}`);
		}
	}
	for (const { collection, record } of refusedCreates(rejected)) {
		if (seen.has(`${collection}/${String(record.id)}`)) continue;
		rows.push(toRow(collection, record, words, new Set(), refusedFor(rejected, collection)));
	}
	return rows.sort(newestFirst);
}
