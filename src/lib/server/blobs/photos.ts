import { createHash } from 'node:crypto';
import { json } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { Actor, PhotoRef } from '$lib/domain';
import type { Db } from '../db';
import { blobs } from '../db/schema';
import { ApiError, forbidden } from '../http';
import { mayReadPhoto } from './access';
import { pixelSize, sniffPhotoType } from './imageHeader';
import type { BlobStore } from './store';

/** What the photo endpoints work with: metadata in the database, bytes in a blob store. */
export interface PhotoBlobs {
	db: Db;
	store: BlobStore;
	maxBytes: number;
}

/** Enough of the file to find its type and, past EXIF and colour profiles, its size. */
const headBytes = 512 * 1024;

/** Photos never change under their hash: a device may keep them for a year without asking again. */
const cacheForever = 'private, max-age=31536000, immutable';

const notFound = () => new ApiError(404, 'NOT_FOUND', 'error.photoNotFound');

function photoId(param: string): string {
	if (!/^[0-9a-f]{64}$/.test(param)) throw new ApiError(400, 'BAD_PHOTO_ID', 'error.badPhotoId');
	return param;
}

function tooLarge(maxBytes: number) {
	const limit = maxBytes >= 1024 * 1024 ? `${maxBytes / 1024 / 1024} MB` : `${maxBytes / 1024} KB`;
	// Closing the connection after the answer stops the rest of an oversized upload from being read.
	return new ApiError(413, 'TOO_LARGE', 'error.photoTooLarge', { limit }, { connection: 'close' });
}

async function storedPhoto({ db, store }: PhotoBlobs, sha256: string) {
	const [row] = await db.select().from(blobs).where(eq(blobs.sha256, sha256));
	return row && (await store.has(sha256)) ? row : null;
}

type BlobRow = typeof blobs.$inferInsert;

/** The photo as records refer to it. */
const refOf = (row: BlobRow) => ({
	sha256: row.sha256,
	mime: row.mime as PhotoRef['mime'],
	bytes: row.bytes,
	width: row.width ?? null,
	height: row.height ?? null
});

/** `HEAD /api/blobs/<sha256>`: 200 when the server holds the photo, so the device need not upload it. */
export async function headPhoto(photos: PhotoBlobs, param: string): Promise<Response> {
	const row = await storedPhoto(photos, photoId(param));
	if (!row) throw notFound();
	return new Response(null, {
		status: 200,
		headers: { 'content-type': row.mime, 'content-length': String(row.bytes) }
	});
}

/**
 * `PUT /api/blobs/<sha256>`: stores a photo once. The body is streamed to the store against the size
 * cap, then checked (its hash must be the path, its first bytes a JPEG, PNG or WebP header) before it
 * becomes visible. Answers 201 with the photo's description, or 200 when the server already had it.
 */
export async function putPhoto(
	photos: PhotoBlobs,
	uploader: Actor,
	param: string,
	request: Request
): Promise<Response> {
	const sha256 = photoId(param);
	const present = await storedPhoto(photos, sha256);
	// The body is left unread: the server discards it after answering.
	if (present) return json(refOf(present), { status: 200 });
	if (Number(request.headers.get('content-length') ?? 0) > photos.maxBytes) throw tooLarge(photos.maxBytes);
	const upload = new UploadReading(photos.maxBytes);
	let checked: Omit<PhotoRef, 'sha256'> | undefined;
	await photos.store.put(sha256, upload.chunks(request.body), () => {
		checked = upload.check(sha256);
	});
	const row = { sha256, ...checked!, uploadedBy: uploader.id };
	await photos.db.insert(blobs).values(row).onConflictDoNothing();
	return json(refOf(row), { status: 201 });
}

/** `GET /api/blobs/<sha256>`: the bytes, to the uploader and to those who may see a record showing them. */
export async function getPhoto(photos: PhotoBlobs, reader: Actor, param: string): Promise<Response> {
	const sha256 = photoId(param);
	const [row] = await photos.db.select().from(blobs).where(eq(blobs.sha256, sha256));
	if (!row) throw notFound();
	if (!(await mayReadPhoto(photos.db, reader, row))) throw forbidden();
	const stored = await photos.store.get(sha256);
	if (!stored) throw notFound();
	return new Response(stored.stream, {
		headers: {
			'content-type': row.mime,
			'content-length': String(stored.bytes),
			'cache-control': cacheForever,
			etag: `"${sha256}"`
		}
	});
}

/** Reads an upload once: counts it against the cap, hashes it and keeps its head for the type check. */
class UploadReading {
	readonly #hash = createHash('sha256');
	readonly #head: Uint8Array[] = [];
	#headLength = 0;
	#bytes = 0;

	constructor(readonly maxBytes: number) {}

	async *chunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
		if (!body) return;
		const reader = body.getReader();
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) return;
				this.#bytes += value.byteLength;
				if (this.#bytes > this.maxBytes) throw tooLarge(this.maxBytes);
				this.#hash.update(value);
				if (this.#headLength < headBytes) {
					this.#head.push(value.subarray(0, headBytes - this.#headLength));
					this.#headLength += this.#head.at(-1)!.byteLength;
				}
				yield value;
			}
		} finally {
			// Not cancelled: that would drop the connection before the refusal could be sent.
			reader.releaseLock();
		}
	}

	/** The photo's description once every byte has arrived, or the reason it is refused. */
	check(sha256: string): Omit<PhotoRef, 'sha256'> {
		if (this.#hash.digest('hex') !== sha256)
			throw new ApiError(400, 'HASH_MISMATCH', 'error.photoHashMismatch');
		const head = Buffer.concat(this.#head);
		const mime = sniffPhotoType(head);
		if (!mime) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'error.photoType');
		const size = pixelSize(mime, head);
		if (!size) throw new ApiError(415, 'UNREADABLE_PHOTO', 'error.photoUnreadable');
		return { mime, bytes: this.#bytes, ...size };
	}
}
