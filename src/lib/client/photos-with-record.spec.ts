import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { recordMutation } from './outbox';
import { preparePhoto, refOf } from './photos';
import { LocalRefusal } from './refusal';
import { deleteTestDbs, signedInDevice } from './testing/devices';
import { observation } from './testing/fixtures';

afterEach(deleteTestDbs);

const jpeg = (text: string) => new Blob([text], { type: 'image/jpeg' });

describe('photos saved with their record', () => {
	it('are prepared (hashed, checked) without being written', async () => {
		const photo = await preparePhoto(jpeg('abc'), { width: 1600, height: 1200 });

		expect(refOf(photo)).toEqual({
			sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
			mime: 'image/jpeg',
			bytes: 3,
			width: 1600,
			height: 1200
		});
		expect(photo.uploaded).toBe(false);
		await expect(
			preparePhoto(new Blob(['x'], { type: 'image/gif' }), { width: 1, height: 1 })
		).rejects.toThrow(LocalRefusal);
	});

	it('are stored in the record’s own transaction, once each', async () => {
		const db = await signedInDevice();
		const photo = await preparePhoto(jpeg('fire lane'), { width: 10, height: 10 });
		const created = observation({ photos: [refOf(photo)] });

		await recordMutation(db, 'observation.create', created, { photos: [photo, photo] });

		expect(await db.observation.get(created.id)).toEqual(created);
		expect((await db.photos.toArray()).map((p) => p.sha256)).toEqual([photo.sha256]);
	});

	it('are not stored when the record is refused, nor when the record does not refer to them', async () => {
		const db = await signedInDevice();
		const photo = await preparePhoto(jpeg('bin'), { width: 10, height: 10 });

		const invalid = recordMutation(
			db,
			'observation.create',
			{ ...observation(), severity: 'huge' },
			{ photos: [photo] }
		);
		await expect(invalid).rejects.toMatchObject({ code: 'VALIDATION' });
		const stray = recordMutation(db, 'observation.create', observation(), { photos: [photo] });
		await expect(stray).rejects.toMatchObject({ code: 'VALIDATION' });

		expect(await db.photos.count()).toBe(0);
		expect(await db.observation.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});
});
