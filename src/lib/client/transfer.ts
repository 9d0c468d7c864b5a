import { z } from 'zod';
import { isoTime, photoRef } from '$lib/domain';
import { collectionNames, type CollectionName } from '$lib/sync/collections';
import { sameContent } from '$lib/sync/merge';
import { mutationEnvelope } from '$lib/sync/protocol';
import { recordTable, syncedTables, type DeviceDb, type PhotoEntry, type RejectedEntry } from './db';
import { readMeta } from './meta';
import { recordMutation, unacknowledged } from './outbox';
import { keepPhotos, photoRefsIn, sha256Hex } from './photos';
import { recordKey } from './rebase';
import { describeIssues, fieldIssues, LocalRefusal } from './refusal';
import type { SyncError } from './sync/events';

/**
 * A file of what this device has not synced, to carry it to another device or keep it safe before the
 * browser's data is cleared: the pending mutations, the records they touch (as the device shows them,
 * for a person reading the file), the refused changes in "needs attention" and the photos they refer to.
 * Importing replays the mutations through `recordMutation`, so they are checked and numbered again on
 * the importing device.
 */
export const transferFormat = 'gridwalk-unsynced';
export const transferFormatVersion = 1;

const collectionName = z.enum(collectionNames as [CollectionName, ...CollectionName[]]);

const pendingChange = mutationEnvelope.extend({ collection: collectionName, recordId: z.string() });
const touched = z.object({
	collection: collectionName,
	id: z.string(),
	record: z.record(z.string(), z.unknown()).nullable()
});
const refusal = z.object({
	mutation: mutationEnvelope,
	collection: collectionName,
	recordId: z.string(),
	code: z.string(),
	message: z.string(),
	current: z.unknown().optional(),
	at: isoTime
});
const photoFile = photoRef.extend({ data: z.base64() });

const unsyncedContent = z.object({
	exportedAt: isoTime,
	personId: z.string().min(1),
	clientGroupId: z.string().nullable(),
	clientId: z.string().nullable(),
	pending: z.array(pendingChange),
	records: z.array(touched),
	needsAttention: z.array(refusal),
	photos: z.array(photoFile)
});
export type UnsyncedContent = z.infer<typeof unsyncedContent>;

const fileHead = z.object({ format: z.literal(transferFormat), formatVersion: z.number().int().positive() });
const unsyncedFile = z.object({
	format: z.literal(transferFormat),
	formatVersion: z.literal(transferFormatVersion),
	/** SHA-256 of the content as JSON: a file edited by hand or cut short is refused whole. */
	digest: z.string().regex(/^[0-9a-f]{64}$/),
	content: unsyncedContent
});
export type UnsyncedFile = z.infer<typeof unsyncedFile>;

/** Why a file is refused; the page shows each code in the person's language. */
export type TransferErrorCode =
	'WRONG_FILE' | 'NEWER_FORMAT' | 'ANOTHER_PERSON' | 'DAMAGED' | 'NOT_SIGNED_IN';
export interface TransferError extends SyncError {
	code: TransferErrorCode;
}

/** A change of the file that was not recorded again, and why (`code` from the list below or a `LocalRefusal`). */
export interface SkippedChange {
	name: string;
	collection: CollectionName;
	recordId: string;
	code: string;
	message: string;
}

export type ImportOutcome =
	| { ok: false; error: TransferError }
	| {
			ok: true;
			/** Changes recorded again, waiting to sync on this device. */
			restored: number;
			skipped: SkippedChange[];
			/** Refused changes put back in "needs attention". */
			refusals: number;
			/** Photos this device did not hold. */
			photos: number;
	  };

/** The file's name: `gridwalk-unsynced-2026-03-02.json`, by the device's calendar. */
export function unsyncedFileName(now = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `gridwalk-unsynced-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.json`;
}

/** Everything the device has not synced, as one file; refuses when nobody is signed in. */
export async function exportUnsynced(db: DeviceDb, { now = new Date() } = {}): Promise<UnsyncedFile> {
	const tables = [db.outbox, db.meta, db.rejected, db.photos, ...syncedTables(db)];
	const held = await db.transaction('r', tables, async () => {
		const actor = await readMeta(db, 'actor');
		if (!actor) throw new LocalRefusal('NOT_SIGNED_IN', 'Please sign in before exporting.');
		const pending = await unacknowledged(db);
		const needsAttention = await db.rejected.toArray();
		const targets = new Map<string, { collection: CollectionName; id: string }>();
		for (const { collection, recordId } of [...pending, ...needsAttention]) {
			targets.set(recordKey(collection, recordId), { collection, id: recordId });
		}
		const records = [];
		for (const { collection, id } of targets.values()) {
			records.push({ collection, id, record: (await recordTable(db, collection).get(id)) ?? null });
		}
		const refs = photoRefsIn([...pending.map((p) => p.args), ...needsAttention.map((r) => r.mutation.args)]);
		const photos = await db.photos.bulkGet(refs.map((ref) => ref.sha256));
		return {
			personId: actor.id,
			clientGroupId: (await readMeta(db, 'clientGroupId')) ?? null,
			clientId: (await readMeta(db, 'clientId')) ?? null,
			pending,
			records,
			needsAttention,
			photos: photos.filter((photo): photo is PhotoEntry => photo !== undefined)
		};
	});
	// Blobs are read after the transaction: awaiting anything but IndexedDB inside it would end it.
	const photos = [];
	for (const { blob, sha256, mime, bytes, width, height } of held.photos) {
		photos.push({
			sha256,
			mime,
			bytes,
			width,
			height,
			data: toBase64(new Uint8Array(await blob.arrayBuffer()))
		});
	}
	const content: UnsyncedContent = {
		exportedAt: now.toISOString(),
		personId: held.personId,
		clientGroupId: held.clientGroupId,
		clientId: held.clientId,
		pending: held.pending.map(({ id, name, args, clientTime, collection, recordId }) => ({
			id,
			name,
			args,
			clientTime,
			collection,
			recordId
		})),
		records: held.records,
		needsAttention: held.needsAttention.map(
			({ mutation, collection, recordId, code, message, current, at }) => ({
				mutation,
				collection,
				recordId,
				code,
				message,
				...(current === undefined ? {} : { current }),
				at
			})
		),
		photos
	};
	return {
		format: transferFormat,
		formatVersion: transferFormatVersion,
		digest: await digestOf(content),
		content
	};
}

/** The file as a download: indented JSON, so a person can read what it holds. */
export function unsyncedBlob(file: UnsyncedFile): Blob {
	return new Blob([JSON.stringify(file, null, '\t')], { type: 'application/json' });
}

const fail = (code: TransferErrorCode, message: string): { ok: false; error: TransferError } => ({
	ok: false,
	error: { code, message }
});

/**
 * Reads and checks a file for `personId` without writing anything: its kind, its format version, its
 * shape, its owner, its digest and every photo's bytes against the photo's hash.
 */
export async function readUnsyncedFile(
	text: string,
	personId: string
): Promise<{ ok: true; file: UnsyncedFile; photos: PhotoEntry[] } | { ok: false; error: TransferError }> {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		return fail('WRONG_FILE', 'This is not a JSON file.');
	}
	const head = fileHead.safeParse(raw);
	if (!head.success) return fail('WRONG_FILE', 'This is not a file of unsynced gridwalk data.');
	if (head.data.formatVersion > transferFormatVersion) {
		return fail(
			'NEWER_FORMAT',
			`The file has format ${head.data.formatVersion}; this app reads up to ${transferFormatVersion}.`
		);
	}
	const parsed = unsyncedFile.safeParse(raw);
	if (!parsed.success) return fail('DAMAGED', describeIssues(fieldIssues(parsed.error)));
	const file = parsed.data;
	if (file.content.personId !== personId) {
		return fail('ANOTHER_PERSON', `The file holds the changes of person ${file.content.personId}.`);
	}
	// Over the content as it stands in the file (the schema may have dropped keys a hand edit added).
	if ((await digestOf((raw as { content: unknown }).content)) !== file.digest) {
		return fail('DAMAGED', 'The content does not match its digest: the file was changed after export.');
	}
	const photos: PhotoEntry[] = [];
	for (const { data, ...ref } of file.content.photos) {
		const bytes = fromBase64(data);
		if (bytes.byteLength !== ref.bytes || (await sha256Hex(bytes.buffer)) !== ref.sha256) {
			return fail('DAMAGED', `Photo ${ref.sha256} does not match its bytes.`);
		}
		photos.push({ ...ref, blob: new Blob([bytes], { type: ref.mime }), uploaded: false });
	}
	return { ok: true, file, photos };
}

/**
 * Brings a file's changes back onto this device, for the person signed in. The photos are kept first,
 * then every pending change is recorded again in its original order and with its original time, under
 * this device's client (new mutation ids). Skipped: a change already queued here, a create of a record
 * this device already holds, and a change the device refuses (e.g. an edit of a record not pulled yet).
 * Refused changes return to "needs attention". A file that fails `readUnsyncedFile` writes nothing.
 */
export async function importUnsynced(db: DeviceDb, text: string): Promise<ImportOutcome> {
	const actor = await readMeta(db, 'actor');
	if (!actor) return fail('NOT_SIGNED_IN', 'Please sign in before importing.');
	const read = await readUnsyncedFile(text, actor.id);
	if (!read.ok) return read;
	const { content } = read.file;

	const photos = await db.transaction('rw', db.photos, async () => {
		const held = await db.photos.bulkGet([...new Set(read.photos.map((photo) => photo.sha256))]);
		await keepPhotos(db, read.photos);
		return held.filter((photo) => photo === undefined).length;
	});

	let restored = 0;
	const skipped: SkippedChange[] = [];
	for (const change of [...content.pending].sort((a, b) => a.id - b.id)) {
		const { name, args, clientTime, collection, recordId } = change;
		const skip = (code: string, message: string) =>
			skipped.push({ name, collection, recordId, code, message });
		const queued = await db.outbox.where('[collection+recordId]').equals([collection, recordId]).toArray();
		if (
			queued.some(
				(entry) => entry.name === name && entry.clientTime === clientTime && sameContent(entry.args, args)
			)
		) {
			skip('ALREADY_QUEUED', 'This change is already waiting to sync on this device.');
			continue;
		}
		if (name.endsWith('.create') && (await recordTable(db, collection).get(recordId))) {
			skip('ALREADY_ON_DEVICE', 'This device already holds the record this change creates.');
			continue;
		}
		try {
			await recordMutation(db, name, args, { now: new Date(clientTime) });
			restored += 1;
		} catch (error) {
			if (!(error instanceof LocalRefusal)) throw error;
			skip(error.code, error.message);
		}
	}

	const refusals = await restoreRefusals(db, content.needsAttention);
	return { ok: true, restored, skipped, refusals, photos };
}

/**
 * Puts refused changes back in "needs attention", once each. They take ids below 0: positive ids are
 * this client's mutation numbers, under which its own refusals are kept.
 */
async function restoreRefusals(db: DeviceDb, entries: UnsyncedContent['needsAttention']): Promise<number> {
	return db.transaction('rw', db.rejected, async () => {
		const present = await db.rejected.toArray();
		let lowest = Math.min(0, ...present.map((entry) => entry.id));
		let restored = 0;
		for (const entry of entries) {
			const same = (known: RejectedEntry) =>
				known.recordId === entry.recordId &&
				known.mutation.name === entry.mutation.name &&
				known.mutation.clientTime === entry.mutation.clientTime &&
				sameContent(known.mutation.args, entry.mutation.args);
			if (present.some(same)) continue;
			lowest -= 1;
			const back: RejectedEntry = { ...entry, id: lowest };
			await db.rejected.add(back);
			present.push(back);
			restored += 1;
		}
		return restored;
	});
}

async function digestOf(content: unknown): Promise<string> {
	return sha256Hex(new TextEncoder().encode(JSON.stringify(content)).buffer as ArrayBuffer);
}

/** Base64 without Node's Buffer (the page has none); in slices, as spreading a large array overflows the stack. */
function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let at = 0; at < bytes.length; at += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
	}
	return btoa(binary);
}

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
	return Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
}
