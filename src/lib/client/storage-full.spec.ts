import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { readMeta } from './meta';
import { recordMutation } from './outbox';
import { preparePhoto, refOf, savePhoto } from './photos';
import { clientErrorMessage, LocalRefusal } from './refusal';
import { deleteTestDbs, signedInDevice } from './testing/devices';
import { observation } from './testing/fixtures';

/*
 * IndexedDB's quota, simulated: fake-indexeddb keeps everything in memory and never runs out of space, so
 * `add`/`put` into the photos store throw the QuotaExceededError a browser gives while `storageFull` is
 * set. The same save against a real quota runs in Chromium in tests/e2e/device-storage-full.spec.ts.
 */
let storageFull = false;
const store = globalThis.IDBObjectStore.prototype;
for (const method of ['add', 'put'] as const) {
	const write = store[method];
	store[method] = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
		if (storageFull && this.name === 'photos') {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		}
		return write.apply(this, args);
	};
}

afterEach(async () => {
	storageFull = false;
	await deleteTestDbs();
});

const jpeg = (text: string) => new Blob([text], { type: 'image/jpeg' });

async function refusalOf(write: Promise<unknown>): Promise<LocalRefusal> {
	const error = await write.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(LocalRefusal);
	return error as LocalRefusal;
}

describe('a full storage while saving a photo with its record', () => {
	it('saves neither the record, nor its outbox entry, nor the photo, and says so in the person’s language', async () => {
		const db = await signedInDevice();
		const earlierPhoto = await preparePhoto(jpeg('earlier'), { width: 800, height: 600 });
		const earlier = observation({ photos: [refOf(earlierPhoto)] });
		await recordMutation(db, 'observation.create', earlier, { photos: [earlierPhoto] });
		const before = {
			observations: await db.observation.toArray(),
			outbox: await db.outbox.toArray(),
			photos: await db.photos.toArray()
		};

		storageFull = true;
		const photo = await preparePhoto(jpeg('the fire lane, blocked'), { width: 1600, height: 1200 });
		const blocked = observation({ photos: [refOf(photo)] });
		const error = await refusalOf(recordMutation(db, 'observation.create', blocked, { photos: [photo] }));

		expect(error.code).toBe('STORAGE_FULL');
		expect(clientErrorMessage('zh-CN', error)).toContain('存储空间已满');
		expect(clientErrorMessage('zh-CN', error)).toContain('之前保存的记录不受影响');
		expect(clientErrorMessage('en', error)).toMatch(/storage on this phone is full.*not saved/);
		expect(await db.observation.get(blocked.id)).toBeUndefined();
		expect(await db.photos.get(photo.sha256)).toBeUndefined();
		expect(await db.base.get(['observation', blocked.id])).toBeUndefined();
		// Earlier work is as it was, and no mutation number was used up: the queue has no gap.
		expect(await db.observation.toArray()).toEqual(before.observations);
		expect(await db.outbox.toArray()).toEqual(before.outbox);
		expect(await db.photos.toArray()).toEqual(before.photos);
		expect(await readMeta(db, 'nextMutationId')).toBe(2);

		storageFull = false;
		const saved = await recordMutation(db, 'observation.create', blocked, { photos: [photo] });
		expect(saved.id).toBe(2);
		expect(await db.photos.get(photo.sha256)).toMatchObject({ ...refOf(photo), uploaded: false });
	});

	it('refuses a photo saved on its own the same way, keeping the photos already there', async () => {
		const db = await signedInDevice();
		const kept = await savePhoto(db, jpeg('kept'), { width: 10, height: 10 });

		storageFull = true;
		const error = await refusalOf(savePhoto(db, jpeg('one too many'), { width: 10, height: 10 }));

		expect(error.code).toBe('STORAGE_FULL');
		expect((await db.photos.toArray()).map((photo) => photo.sha256)).toEqual([kept.sha256]);
	});

	it('stores a photo given with its record once, and refuses one the record does not refer to', async () => {
		const db = await signedInDevice();
		const photo = await preparePhoto(jpeg('twice'), { width: 10, height: 10 });
		const stray = await preparePhoto(jpeg('stray'), { width: 10, height: 10 });

		await recordMutation(db, 'observation.create', observation({ photos: [refOf(photo)] }), {
			photos: [photo, photo]
		});
		await recordMutation(db, 'observation.create', observation({ photos: [refOf(photo)] }), {
			photos: [photo]
		});
		const error = await refusalOf(
			recordMutation(db, 'observation.create', observation({ photos: [refOf(photo)] }), {
				photos: [photo, stray]
			})
		);

		expect(error.code).toBe('VALIDATION');
		expect(await db.photos.count()).toBe(1);
		expect(await db.outbox.count()).toBe(2);
	});
});
