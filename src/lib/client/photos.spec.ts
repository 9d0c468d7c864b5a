import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { markUploaded, photoRefsIn, photosToUpload, savePhoto } from './photos';
import { LocalRefusal } from './refusal';
import { deleteTestDbs, openTestDb } from './testing/devices';

afterEach(deleteTestDbs);

const jpeg = (text: string) => new Blob([text], { type: 'image/jpeg' });

describe('photos', () => {
	it('are kept once per content, named by their SHA-256', async () => {
		const db = openTestDb();

		const ref = await savePhoto(db, jpeg('abc'), { width: 1600, height: 1200 });
		await savePhoto(db, jpeg('abc'), { width: 1600, height: 1200 });

		expect(ref).toEqual({
			sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
			mime: 'image/jpeg',
			bytes: 3,
			width: 1600,
			height: 1200
		});
		expect(await db.photos.count()).toBe(1);
		expect(await (await db.photos.get(ref.sha256))!.blob.text()).toBe('abc');
	});

	it('must be an image type the server takes', async () => {
		const db = openTestDb();

		const error = await savePhoto(db, new Blob(['abc'], { type: 'image/gif' }), {
			width: 1,
			height: 1
		}).catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(LocalRefusal);
		expect(await db.photos.count()).toBe(0);
	});

	it('are found wherever a mutation refers to them, and only those not uploaded are sent', async () => {
		const db = openTestDb();
		const first = await savePhoto(db, jpeg('first'), { width: 10, height: 10 });
		const second = await savePhoto(db, jpeg('second'), { width: 10, height: 10 });
		const patrol = {
			answers: [{ key: 'fire_lane', value: false, photos: [first] }],
			photos: [second, first]
		};

		expect(photoRefsIn(patrol).map((ref) => ref.sha256)).toEqual([first.sha256, second.sha256]);

		await markUploaded(db, first.sha256);
		const left = await photosToUpload(db, [{ args: patrol }]);
		expect(left.map((photo) => photo.sha256)).toEqual([second.sha256]);
	});
});
