import { photoRef, type PhotoRef } from '$lib/domain';
import type { DeviceDb, PhotoEntry } from './db';
import { asStorageRefusal, describeIssues, fieldIssues, LocalRefusal } from './refusal';

/** The hex SHA-256 of some bytes: a photo's name in the blob store. */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
	return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * A (resized) photo ready to be stored: hashed and checked, not yet written. Hashing is not IndexedDB
 * work, so it happens before the transaction that stores the photo with the record referring to it.
 */
export async function preparePhoto(blob: Blob, size: { width: number; height: number }): Promise<PhotoEntry> {
	const parsed = photoRef.safeParse({
		sha256: await sha256Hex(await blob.arrayBuffer()),
		mime: blob.type,
		bytes: blob.size,
		...size
	});
	if (!parsed.success) {
		const issues = fieldIssues(parsed.error);
		throw new LocalRefusal('VALIDATION', describeIssues(issues), issues);
	}
	return { ...parsed.data, blob, uploaded: false };
}

/** The reference a record stores for a photo. */
export function refOf({ sha256, mime, bytes, width, height }: PhotoRef): PhotoRef {
	return { sha256, mime, bytes, width, height };
}

/** Stores the photos the device does not hold yet, once each; runs inside a transaction covering `photos`. */
export async function keepPhotos(db: DeviceDb, photos: readonly PhotoEntry[]): Promise<void> {
	if (photos.length === 0) return;
	const distinct = [...new Map(photos.map((photo) => [photo.sha256, photo])).values()];
	const held = await db.photos.bulkGet(distinct.map((photo) => photo.sha256));
	const fresh = distinct.filter((_, index) => !held[index]);
	if (fresh.length > 0) await db.photos.bulkAdd(fresh);
}

/**
 * Keeps a (resized) photo on the device and returns the reference a record stores. Saving the same
 * bytes twice keeps one copy. A photo taken with a record is better saved by `recordMutation(…, { photos })`,
 * in the record's own transaction, so that a failed save leaves no photo behind.
 */
export async function savePhoto(
	db: DeviceDb,
	blob: Blob,
	size: { width: number; height: number }
): Promise<PhotoRef> {
	const photo = await preparePhoto(blob, size);
	try {
		await db.transaction('rw', db.photos, () => keepPhotos(db, [photo]));
	} catch (error) {
		throw asStorageRefusal(error);
	}
	return refOf(photo);
}

/** Every photo reference inside a mutation's args, wherever the record keeps them (answers, events …). */
export function photoRefsIn(value: unknown): PhotoRef[] {
	const found = new Map<string, PhotoRef>();
	collectPhotoRefs(value, found);
	return [...found.values()];
}

function collectPhotoRefs(value: unknown, found: Map<string, PhotoRef>): void {
	if (Array.isArray(value)) {
		for (const item of value) collectPhotoRefs(item, found);
	} else if (value && typeof value === 'object') {
		const ref = 'sha256' in value ? photoRef.safeParse(value) : null;
		if (ref?.success) found.set(ref.data.sha256, ref.data);
		else for (const inner of Object.values(value)) collectPhotoRefs(inner, found);
	}
}

/** The photos these mutations refer to that the device holds and has not uploaded yet. */
export async function photosToUpload(db: DeviceDb, mutations: { args: unknown }[]): Promise<PhotoEntry[]> {
	const refs = photoRefsIn(mutations.map((mutation) => mutation.args));
	const stored = await db.photos.bulkGet(refs.map((ref) => ref.sha256));
	return stored.filter((photo): photo is PhotoEntry => photo !== undefined && !photo.uploaded);
}

export async function markUploaded(db: DeviceDb, sha256: string): Promise<void> {
	await db.photos.update(sha256, { uploaded: true });
}
