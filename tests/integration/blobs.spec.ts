import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, PhotoRef } from '$lib/domain';
import type { Locale } from '$lib/i18n';
import { getPhoto, headPhoto, putPhoto, type PhotoBlobs } from '$lib/server/blobs';
import { FileBlobStore } from '$lib/server/blobs/fileStore';
import type { Db } from '$lib/server/db';
import { blobs } from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { jpeg, png, sha256Of, webp, type Photo } from './blobs-fixtures';
import { databaseKinds, type TestDatabase } from './databases';
import { create, device, observationIn, patrolIn, seedDistrict, type District } from './sync-fixtures';

const maxBytes = 64 * 1024;
const cacheForever = 'private, max-age=31536000, immutable';

/** What the endpoint answers: the function's response, or its refusal as the wrapper turns it into one. */
async function answer(work: Promise<Response>, locale: Locale = 'en'): Promise<Response> {
	try {
		return await work;
	} catch (error) {
		if (error instanceof ApiError) return error.toResponse(locale);
		throw error;
	}
}

/** Every file under a directory, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true });
	return entries
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe.each(databaseKinds)('photo blobs on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	let root: string;
	let photos: PhotoBlobs;

	beforeAll(async () => {
		database = await open();
		db = database.db;
		d = await seedDistrict(db);
		root = mkdtempSync(path.join(tmpdir(), 'gridwalk-blobs-'));
		photos = { db, store: new FileBlobStore(root), maxBytes };
	});
	afterAll(async () => {
		await database.drop();
		rmSync(root, { recursive: true, force: true });
	});

	const url = (sha256: string) => `http://localhost/api/blobs/${sha256}`;
	const put = (
		sha256: string,
		body: BodyInit,
		init: RequestInit = {},
		locale: Locale = 'en',
		by: Actor = d.actors.volunteer
	) =>
		answer(putPhoto(photos, by, sha256, new Request(url(sha256), { method: 'PUT', body, ...init })), locale);
	const head = (sha256: string) => answer(headPhoto(photos, sha256));
	const get = (sha256: string, reader: Actor = d.actors.volunteer) =>
		answer(getPhoto(photos, reader, sha256));
	const fileOf = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
	const keptNothing = async (sha256: string) => {
		expect(await filesUnder(root)).not.toContain(path.relative(root, fileOf(sha256)));
		expect(await filesUnder(path.join(root, 'tmp')).catch(() => [])).toEqual([]);
		expect(await db.select().from(blobs).where(eq(blobs.sha256, sha256))).toEqual([]);
	};

	it('stores a photo, says it is there and serves it back with its type, cached for good', async () => {
		const bytes = png(40, 30);
		const sha256 = sha256Of(bytes);
		expect((await head(sha256)).status).toBe(404);

		const stored = await put(sha256, bytes);
		expect(stored.status).toBe(201);
		expect(await stored.json()).toEqual({
			sha256,
			mime: 'image/png',
			bytes: bytes.length,
			width: 40,
			height: 30
		});
		expect((await head(sha256)).status).toBe(200);

		const served = await get(sha256);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toBe('image/png');
		expect(served.headers.get('cache-control')).toBe(cacheForever);
		expect(new Uint8Array(await served.arrayBuffer())).toEqual(new Uint8Array(bytes));
		expect((await stat(fileOf(sha256))).size).toBe(bytes.length);
		const [row] = await db.select().from(blobs).where(eq(blobs.sha256, sha256));
		expect(row).toMatchObject({ mime: 'image/png', width: 40, height: 30, uploadedBy: d.users.volunteer.id });
	});

	it.each([
		['image/jpeg', jpeg(1600, 1200), 1600, 1200],
		['image/webp', webp(1200, 1600), 1200, 1600],
		['image/png', png(3, 2), 3, 2]
	])('accepts a %s by its content, whatever it is called', async (mime, bytes, width, height) => {
		const sha256 = sha256Of(bytes);
		const stored = await put(sha256, bytes, { headers: { 'content-type': 'application/octet-stream' } });
		expect(stored.status).toBe(201);
		expect(await stored.json()).toEqual({ sha256, mime, bytes: bytes.length, width, height });
	});

	it('takes a second upload of the same photo as done: 200, the same description, the file untouched', async () => {
		const bytes = jpeg(800, 600);
		const sha256 = sha256Of(bytes);
		const first = await put(sha256, bytes);
		const { mtimeMs } = await stat(fileOf(sha256));
		const again = await put(sha256, bytes);
		expect(again.status).toBe(200);
		expect(await again.json()).toEqual(await first.json());
		expect((await stat(fileOf(sha256))).mtimeMs).toBe(mtimeMs);
		expect(await db.select().from(blobs).where(eq(blobs.sha256, sha256))).toHaveLength(1);
	});

	it('stores the bytes again when the file was lost, keeping the photo’s record', async () => {
		const bytes = png(9, 9);
		const sha256 = sha256Of(bytes);
		await put(sha256, bytes);
		await photos.store.delete(sha256);
		expect((await head(sha256)).status).toBe(404);
		expect((await put(sha256, bytes)).status).toBe(201);
		expect((await head(sha256)).status).toBe(200);
	});

	it('refuses bytes that do not match the hash in the path with 400 HASH_MISMATCH, keeping nothing', async () => {
		const bytes = png(10, 10);
		const claimed = sha256Of(png(10, 11));
		const refused = await put(claimed, bytes);
		expect(refused.status).toBe(400);
		expect(await refused.json()).toMatchObject({
			code: 'HASH_MISMATCH',
			message: expect.stringMatching(/checksum/)
		});
		await keptNothing(claimed);
	});

	it('refuses a text file named .jpg with 415 in the person’s language, keeping nothing', async () => {
		const text = new TextEncoder().encode('not a photo at all, just text saved as holiday.jpg\n');
		const sha256 = sha256Of(text);
		const refused = await put(sha256, text, { headers: { 'content-type': 'image/jpeg' } }, 'zh-CN');
		expect(refused.status).toBe(415);
		expect(await refused.json()).toEqual({
			code: 'UNSUPPORTED_MEDIA_TYPE',
			message: '只能上传 JPEG、PNG 或 WebP 格式的照片。'
		});
		await keptNothing(sha256);
	});

	it('refuses a photo whose header is damaged with 415', async () => {
		const cut = jpeg(640, 480).slice(0, 100);
		const refused = await put(sha256Of(cut), cut);
		expect(refused.status).toBe(415);
		expect((await refused.json()).code).toBe('UNREADABLE_PHOTO');
		await keptNothing(sha256Of(cut));
	});

	it('refuses a photo over the cap with 413, announced or streamed, keeping nothing', async () => {
		const big = new Uint8Array(maxBytes + 1);
		big.set(png(1, 1));
		const sha256 = sha256Of(big);

		const announced = await put(sha256, big, { headers: { 'content-length': String(big.length) } });
		expect(announced.status).toBe(413);
		expect(await announced.json()).toEqual({
			code: 'TOO_LARGE',
			message: 'The photo is too large (limit 64 KB).'
		});

		const chunks = [big.subarray(0, 40_000), big.subarray(40_000)];
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				const next = chunks.shift();
				if (next) controller.enqueue(next);
				else controller.close();
			}
		});
		const streamed = await put(sha256, stream, { duplex: 'half' } as RequestInit);
		expect(streamed.status).toBe(413);
		await keptNothing(sha256);
	});

	it.each(['abc', 'A'.repeat(64), 'g'.repeat(64), '..%2F..%2Fetc%2Fpasswd', `${'a'.repeat(64)}.jpg`])(
		'answers 400 to the path %s for HEAD, PUT and GET',
		async (bad) => {
			for (const response of [await head(bad), await put(bad, png(1, 1)), await get(bad)]) {
				expect(response.status).toBe(400);
				expect((await response.json()).code).toBe('BAD_PHOTO_ID');
			}
		}
	);

	it('answers 404 for a photo the server does not have', async () => {
		const missing = sha256Of(new TextEncoder().encode('never uploaded'));
		expect((await get(missing)).status).toBe(404);
	});

	it('serves a photo to its uploader and to those who may see a record showing it, nobody else', async () => {
		const upload = async (bytes: Photo) => (await (await put(sha256Of(bytes), bytes)).json()) as PhotoRef;
		const shown = await upload(jpeg(1024, 768));
		const inPatrol = await upload(jpeg(1024, 769));
		const unused = await upload(jpeg(1024, 770));
		const { results } = await device(db, d.actors.volunteer).push(
			create('observation', observationIn(d, { photos: [shown] })),
			create(
				'patrol',
				patrolIn(d, {
					compoundId: d.compounds.nB,
					answers: [{ key: 'bins', value: false, photos: [inPatrol] }]
				})
			)
		);
		expect(results.map((result) => result.status)).toEqual(['applied', 'applied']);

		const status = async (sha256: string, reader: keyof District['actors']) =>
			(await get(sha256, d.actors[reader])).status;
		expect(await status(shown.sha256, 'volunteer')).toBe(200);
		expect(await status(shown.sha256, 'leader')).toBe(200);
		expect(await status(shown.sha256, 'coordinator')).toBe(200);
		expect(await status(shown.sha256, 'otherLeader')).toBe(403);
		expect(await status(shown.sha256, 'southCoordinator')).toBe(403);
		expect(await status(shown.sha256, 'southVolunteer')).toBe(403);
		expect(await status(inPatrol.sha256, 'coordinator')).toBe(200);
		expect(await status(inPatrol.sha256, 'southCoordinator')).toBe(403);
		expect(await status(unused.sha256, 'volunteer')).toBe(200);
		expect(await status(unused.sha256, 'coordinator')).toBe(403);
		expect(await status(unused.sha256, 'admin')).toBe(403);
	});
});
