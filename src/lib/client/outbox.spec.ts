import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaVersion } from '$lib/sync/protocol';
import { acknowledge, isPending, maxMutationBytes, pendingCount, pendingIds, recordMutation } from './outbox';
import { LocalRefusal } from './refusal';
import { caseRecord, compound, coordinator, observation } from './testing/fixtures';
import { deleteTestDbs, openTestDb, signedInDevice } from './testing/devices';

afterEach(deleteTestDbs);

async function refusal(write: Promise<unknown>): Promise<LocalRefusal> {
	const error = await write.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(LocalRefusal);
	return error as LocalRefusal;
}

describe('recordMutation', () => {
	it('writes the record and its outbox entry together', async () => {
		const db = await signedInDevice();
		const created = observation();

		const entry = await recordMutation(db, 'observation.create', created);

		expect(await db.observation.get(created.id)).toEqual(created);
		expect(await db.outbox.toArray()).toEqual([
			{
				id: 1,
				name: 'observation.create',
				args: created,
				clientTime: entry.clientTime,
				collection: 'observation',
				recordId: created.id,
				schemaVersion
			}
		]);
	});

	it('writes neither the record nor the outbox entry when the args are invalid', async () => {
		const db = await signedInDevice();
		const invalid = { ...observation(), severity: 'enormous' };

		const error = await refusal(recordMutation(db, 'observation.create', invalid));

		expect(error.code).toBe('VALIDATION');
		expect(error.issues.map((issue) => issue.path)).toEqual(['severity']);
		expect(await db.observation.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.meta.get('nextMutationId')).toBeUndefined();
	});

	it('undoes everything when the local change is refused inside the transaction', async () => {
		const db = await signedInDevice();
		const open = caseRecord({ status: 'assigned' });
		await db.case.put(open);

		const error = await refusal(
			recordMutation(db, 'case.transition', { id: open.id, from: 'triaged', to: 'assigned' })
		);

		expect(error.code).toBe('STALE_TRANSITION');
		expect(await db.case.get(open.id)).toEqual(open);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.base.count()).toBe(0);
	});

	it('moves a case the way the state machine says, on the device first', async () => {
		const db = await signedInDevice();
		const open = caseRecord({ status: 'in_progress' });
		await db.case.put(open);

		await recordMutation(
			db,
			'case.transition',
			{ id: open.id, from: 'in_progress', to: 'resolved', resolution: '已清理通道' },
			{ now: new Date('2026-03-02T10:00:00.000Z') }
		);

		expect(await db.case.get(open.id)).toMatchObject({
			status: 'resolved',
			resolution: '已清理通道',
			updatedAt: '2026-03-02T10:00:00.000Z'
		});
		expect(await db.base.get(['case', open.id])).toEqual({ collection: 'case', id: open.id, record: open });
	});

	it('checks the whole record after an update, not only the changed fields', async () => {
		const db = await signedInDevice();
		const feedback = {
			id: observation().id,
			kind: 'complaint',
			topic: 'parking',
			channel: 'in_person',
			text: '晚上电动车停满楼道',
			consentToContact: false,
			compoundId: compound.id,
			receivedAt: '2026-03-02T09:00:00.000Z',
			by: coordinator.id
		};
		await recordMutation(db, 'feedback.create', feedback);

		const error = await refusal(
			recordMutation(db, 'feedback.update', { id: feedback.id, changes: { resident: { name: '王芳' } } })
		);

		expect(error.code).toBe('INVALID_FIELD');
		expect(error.message).toContain('consentToContact');
		expect(await db.outbox.count()).toBe(1);
	});

	it('refuses unknown mutations, fields that may not change, and writes without a signed-in person', async () => {
		const db = await signedInDevice();
		const stranger = openTestDb();
		const created = observation();
		await recordMutation(db, 'observation.create', created);

		expect((await refusal(recordMutation(db, 'community.create', {}))).code).toBe('UNKNOWN_MUTATION');
		expect(
			(
				await refusal(
					recordMutation(db, 'observation.update', { id: created.id, changes: { by: coordinator.id } })
				)
			).code
		).toBe('VALIDATION');
		expect((await refusal(recordMutation(stranger, 'observation.create', observation()))).code).toBe(
			'NOT_SIGNED_IN'
		);
	});

	it('refuses a change too large for one push body', async () => {
		const db = await signedInDevice();
		const longText = '楼'.repeat(2000);
		const patrol = {
			id: observation().id,
			templateId: observation().id,
			templateVersion: 1,
			compoundId: compound.id,
			startedAt: '2026-03-02T09:00:00.000Z',
			answers: Array.from({ length: 100 }, (_, i) => ({
				key: `item_${i}`,
				value: longText,
				note: longText,
				photos: []
			})),
			track: Array.from({ length: 20_000 }, (_, i) => ({
				lat: 33.6351234 + i / 1e7,
				lng: 116.9851234,
				t: '2026-03-02T09:00:00.000Z'
			})),
			status: 'draft',
			by: coordinator.id
		};

		const error = await refusal(recordMutation(db, 'patrol.create', patrol));

		expect(error.code).toBe('TOO_LARGE');
		expect(error.message).toContain(String(maxMutationBytes));
		expect(await db.patrol.count()).toBe(0);
	});

	it('numbers mutations 1, 2, 3 … without gaps, also when two tabs write at once', async () => {
		const tabA = await signedInDevice();
		const tabB = openTestDb(tabA.name);

		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				recordMutation(i % 2 ? tabA : tabB, 'observation.create', observation())
			)
		);

		const ids = (await tabA.outbox.toArray()).map((entry) => entry.id);
		expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
	});

	it('tells the outbox changed', async () => {
		const db = await signedInDevice();
		const causes: string[] = [];
		db.events.on('outbox:changed', ({ cause }) => causes.push(cause));

		await recordMutation(db, 'observation.create', observation());

		expect(causes).toEqual(['recorded']);
	});
});

describe('saved on this device', () => {
	it('lasts until the server acknowledges the change, though the entry stays for rebase', async () => {
		const db = await signedInDevice();
		const created = observation();
		const other = observation();
		await recordMutation(db, 'observation.create', created);
		const update = await recordMutation(db, 'observation.update', {
			id: created.id,
			changes: { note: '已劝离' }
		});
		await recordMutation(db, 'observation.create', other);

		expect(await isPending(db, 'observation', created.id)).toBe(true);
		expect(await pendingIds(db, 'observation')).toEqual(new Set([created.id, other.id]));
		expect(await pendingCount(db)).toBe(3);

		await acknowledge(db, update.id);

		expect(await isPending(db, 'observation', created.id)).toBe(false);
		expect(await isPending(db, 'observation', other.id)).toBe(true);
		expect(await pendingCount(db)).toBe(1);
		expect(await db.outbox.count()).toBe(3);
	});

	it('survives closing and reopening the database', async () => {
		const db = await signedInDevice();
		const created = observation();
		await recordMutation(db, 'observation.create', created);
		db.close();

		const reopened = openTestDb(db.name);

		expect(await reopened.observation.get(created.id)).toEqual(created);
		expect(await isPending(reopened, 'observation', created.id)).toBe(true);
	});
});
