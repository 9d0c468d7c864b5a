import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceDb, OutboxEntry } from './db';
import { rememberActor } from './identity';
import { newRecordId } from './ids';
import { acknowledge, recordMutation } from './outbox';
import { savePhoto, sha256Hex } from './photos';
import { LocalRefusal } from './refusal';
import { deleteTestDbs, openTestDb, signedInDevice } from './testing/devices';
import { coordinator, observation } from './testing/fixtures';
import {
	exportUnsynced,
	importUnsynced,
	readUnsyncedFile,
	transferFormatVersion,
	unsyncedBlob,
	unsyncedFileName,
	type UnsyncedFile
} from './transfer';

afterEach(deleteTestDbs);

const jpeg = (text: string) => new Blob([text], { type: 'image/jpeg' });

/** The parts of a queued change that must survive the trip (ids are numbered again on the new device). */
const portable = ({ name, args, clientTime, collection, recordId }: OutboxEntry) => ({
	name,
	args,
	clientTime,
	collection,
	recordId
});

/** A device with a photo, two new observations (one edited) and one refused change, nothing synced. */
async function deviceWithWork(): Promise<DeviceDb> {
	const db = await signedInDevice();
	const photo = await savePhoto(db, jpeg('fire lane photo'), { width: 1600, height: 1200 });
	const first = observation({ photos: [photo] });
	await recordMutation(db, 'observation.create', first, { now: new Date('2026-03-02T09:00:00Z') });
	await recordMutation(
		db,
		'observation.update',
		{ id: first.id, changes: { severity: 'high' } },
		{ now: new Date('2026-03-02T09:05:00Z') }
	);
	await recordMutation(db, 'observation.create', observation({ note: '楼道灯不亮' }), {
		now: new Date('2026-03-02T09:10:00Z')
	});
	const refused = observation({ note: '越界的记录' });
	await db.rejected.put({
		id: 99,
		mutation: { id: 99, name: 'observation.create', args: refused, clientTime: '2026-03-01T08:00:00.000Z' },
		collection: 'observation',
		recordId: refused.id,
		code: 'FORBIDDEN',
		message: '您没有权限在这里执行此操作。',
		at: '2026-03-01T08:01:00.000Z'
	});
	return db;
}

async function fileText(db: DeviceDb): Promise<string> {
	return unsyncedBlob(await exportUnsynced(db, { now: new Date('2026-03-02T10:00:00Z') })).text();
}

/** Everything an import could write, to prove a refused file wrote nothing. */
async function contents(db: DeviceDb) {
	return {
		outbox: await db.outbox.count(),
		observations: await db.observation.count(),
		photos: await db.photos.count(),
		rejected: await db.rejected.count()
	};
}

describe('export of unsynced data', () => {
	it('holds the pending changes, the records they touch, the refusals and their photos', async () => {
		const db = await deviceWithWork();

		const file = await exportUnsynced(db, { now: new Date('2026-03-02T10:00:00Z') });

		expect(file.format).toBe('gridwalk-unsynced');
		expect(file.formatVersion).toBe(transferFormatVersion);
		expect(file.content.personId).toBe(coordinator.id);
		expect(file.content.exportedAt).toBe('2026-03-02T10:00:00.000Z');
		expect(file.content.pending.map((change) => change.name)).toEqual([
			'observation.create',
			'observation.update',
			'observation.create'
		]);
		expect(file.content.records).toHaveLength(3);
		const edited = file.content.records.find((r) => r.id === file.content.pending[0].recordId);
		expect(edited?.record).toMatchObject({ severity: 'high' });
		expect(file.content.needsAttention.map((r) => r.code)).toEqual(['FORBIDDEN']);
		expect(file.content.photos).toHaveLength(1);
		expect(atob(file.content.photos[0].data)).toBe('fire lane photo');
	});

	it('leaves out what the server has already answered', async () => {
		const db = await deviceWithWork();
		await acknowledge(db, 2);

		const file = await exportUnsynced(db);

		expect(file.content.pending.map((change) => change.id)).toEqual([3]);
		expect(file.content.photos).toEqual([]);
	});

	it('needs someone signed in', async () => {
		const error = await exportUnsynced(openTestDb()).catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(LocalRefusal);
		expect((error as LocalRefusal).code).toBe('NOT_SIGNED_IN');
	});

	it('is named by the day it was made', () => {
		expect(unsyncedFileName(new Date(2026, 2, 2, 23, 59))).toBe('gridwalk-unsynced-2026-03-02.json');
	});
});

describe('import of unsynced data', () => {
	it('into a fresh device gives the same pending changes, records and photos', async () => {
		const source = await deviceWithWork();
		const target = await signedInDevice();

		const outcome = await importUnsynced(target, await fileText(source));

		expect(outcome).toEqual({ ok: true, restored: 3, skipped: [], refusals: 1, photos: 1 });
		const before = await source.outbox.toArray();
		const after = await target.outbox.toArray();
		expect(after.map(portable)).toEqual(before.map(portable));
		expect(after.map((entry) => entry.id)).toEqual([1, 2, 3]);
		expect(await target.observation.toArray()).toEqual(await source.observation.toArray());
		const [photo] = await target.photos.toArray();
		expect(await photo.blob.text()).toBe('fire lane photo');
		expect(photo.sha256).toBe((await source.photos.toArray())[0].sha256);
		expect(photo.uploaded).toBe(false);
		const [refusal] = await target.rejected.toArray();
		expect(refusal).toMatchObject({ id: -1, code: 'FORBIDDEN', mutation: { name: 'observation.create' } });
	});

	it('brings nothing twice when the same file is imported again', async () => {
		const source = await deviceWithWork();
		const target = await signedInDevice();
		const text = await fileText(source);
		await importUnsynced(target, text);

		const again = await importUnsynced(target, text);

		expect(again).toMatchObject({ ok: true, restored: 0, refusals: 0, photos: 0 });
		expect(again.ok && again.skipped.map((s) => s.code)).toEqual([
			'ALREADY_QUEUED',
			'ALREADY_QUEUED',
			'ALREADY_QUEUED'
		]);
		expect(await contents(target)).toEqual({ outbox: 3, observations: 2, photos: 1, rejected: 1 });
	});

	it('skips a create of a record the device holds and an edit of a record it does not, saying why', async () => {
		const source = await signedInDevice();
		const held = observation();
		const pulledElsewhere = observation({ note: '只在旧设备上' });
		await source.observation.put(pulledElsewhere);
		await recordMutation(source, 'observation.create', held);
		await recordMutation(source, 'observation.update', {
			id: pulledElsewhere.id,
			changes: { severity: 'low' }
		});
		const target = await signedInDevice();
		await target.observation.put(held);

		const outcome = await importUnsynced(target, await fileText(source));

		expect(outcome.ok && outcome.restored).toBe(0);
		expect(outcome.ok && outcome.skipped.map(({ code, recordId }) => ({ code, recordId }))).toEqual([
			{ code: 'ALREADY_ON_DEVICE', recordId: held.id },
			{ code: 'NOT_FOUND', recordId: pulledElsewhere.id }
		]);
		expect(await target.outbox.count()).toBe(0);
	});

	describe('refuses without writing anything', () => {
		async function refused(text: string, target?: DeviceDb) {
			const db = target ?? (await signedInDevice());
			const outcome = await importUnsynced(db, text);
			expect(await contents(db)).toEqual({ outbox: 0, observations: 0, photos: 0, rejected: 0 });
			return outcome.ok ? null : outcome.error.code;
		}

		async function edited(change: (file: UnsyncedFile) => void, { redigest = false } = {}) {
			const file = JSON.parse(await fileText(await deviceWithWork())) as UnsyncedFile;
			change(file);
			if (redigest) {
				const bytes = new TextEncoder().encode(JSON.stringify(file.content));
				file.digest = await sha256Hex(bytes.buffer as ArrayBuffer);
			}
			return JSON.stringify(file);
		}

		it('a file that is not JSON, or not ours', async () => {
			expect(await refused('PK\u0003\u0004 a zip file')).toBe('WRONG_FILE');
			expect(await refused(JSON.stringify({ type: 'FeatureCollection', features: [] }))).toBe('WRONG_FILE');
		});

		it('a file of a newer format', async () => {
			expect(await refused(await edited((file) => (file.formatVersion = 2 as 1)))).toBe('NEWER_FORMAT');
		});

		it("another person's file", async () => {
			const target = openTestDb();
			await rememberActor(target, { ...coordinator, id: newRecordId() });

			expect(await refused(await fileText(await deviceWithWork()), target)).toBe('ANOTHER_PERSON');
		});

		it('a file changed after export', async () => {
			const changedNote = await edited((file) => {
				(file.content.pending[0].args as { note: string }).note = '改过的内容';
			});
			expect(await refused(changedNote)).toBe('DAMAGED');
		});

		it('a photo whose bytes do not match its hash, even with the digest made again', async () => {
			const swapped = await edited(
				(file) => {
					file.content.photos[0].data = btoa('another photo!!');
				},
				{ redigest: true }
			);
			expect(await refused(swapped)).toBe('DAMAGED');
		});

		it('a file cut short', async () => {
			const text = await fileText(await deviceWithWork());
			expect(await refused(text.slice(0, text.length / 2))).toBe('WRONG_FILE');
		});

		it('when nobody is signed in', async () => {
			expect(await refused(await fileText(await deviceWithWork()), openTestDb())).toBe('NOT_SIGNED_IN');
		});
	});

	it('checks a file without a database', async () => {
		const text = await fileText(await deviceWithWork());

		const read = await readUnsyncedFile(text, coordinator.id);

		expect(read.ok && read.photos.map((photo) => photo.mime)).toEqual(['image/jpeg']);
	});
});
