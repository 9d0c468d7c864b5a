import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change, PullResponse } from '$lib/sync/protocol';
import { newRecordId } from '../ids';
import { readMeta } from '../meta';
import { recordMutation } from '../outbox';
import { deleteTestDbs, signedInDevice } from '../testing/devices';
import { observation } from '../testing/fixtures';
import { applyPullPage } from './pullPage';

afterEach(deleteTestDbs);

const clientId = 'client-0001';

function pageOf(changes: Change[], more: Partial<PullResponse> = {}): PullResponse {
	return {
		cursor: String(changes.at(-1)?.version ?? 0),
		hasMore: false,
		lastMutationIds: {},
		changes,
		reset: false,
		...more
	};
}

const put = (collection: Change['collection'], record: Record<string, unknown>, version: number): Change => ({
	collection,
	id: String(record.id),
	op: 'put',
	record,
	version
});
const del = (collection: Change['collection'], id: string, version: number): Change => ({
	collection,
	id,
	op: 'del',
	version
});

describe('a pull page', () => {
	it('leaves each record as the later of its changes in the page says', async () => {
		const db = await signedInDevice();
		const [kept, dropped, back] = [observation(), observation(), observation()];
		await db.observation.bulkPut([dropped, back]);

		await applyPullPage(
			db,
			pageOf([
				put('observation', kept, 1),
				put('observation', { ...dropped, note: '改过' }, 2),
				del('observation', dropped.id, 3),
				del('observation', back.id, 4),
				put('observation', { ...back, note: '又回来了' }, 5)
			]),
			{ clientId }
		);

		expect(await db.observation.get(kept.id)).toEqual(kept);
		expect(await db.observation.get(dropped.id)).toBeUndefined();
		expect(await db.observation.get(back.id)).toEqual({ ...back, note: '又回来了' });
		expect(await readMeta(db, 'cursor')).toBe('5');
	});

	it('keeps every version of a template it brings, and a del takes them all', async () => {
		const db = await signedInDevice();
		const id = newRecordId();
		const template = (version: number) => ({ id, version, name: `巡查清单 v${version}` });

		await applyPullPage(
			db,
			pageOf([put('checklistTemplate', template(1), 1), put('checklistTemplate', template(2), 2)]),
			{
				clientId
			}
		);
		expect(await db.checklistTemplate.where('id').equals(id).count()).toBe(2);

		await applyPullPage(db, pageOf([del('checklistTemplate', id, 3)]), { clientId });
		expect(await db.checklistTemplate.count()).toBe(0);
	});

	it('puts the server’s copy of a record with pending edits under them, and other records straight in', async () => {
		const db = await signedInDevice();
		const edited = observation({ severity: 'low' });
		const other = observation();
		await db.observation.put(edited);
		await recordMutation(db, 'observation.update', { id: edited.id, changes: { note: '车已挪走' } });

		await applyPullPage(
			db,
			pageOf([put('observation', { ...edited, severity: 'high' }, 7), put('observation', other, 8)]),
			{ clientId }
		);

		expect(await db.observation.get(edited.id)).toEqual({ ...edited, severity: 'high', note: '车已挪走' });
		expect(await db.base.get(['observation', edited.id])).toMatchObject({
			record: { ...edited, severity: 'high' }
		});
		expect(await db.observation.get(other.id)).toEqual(other);
		expect(await db.outbox.count()).toBe(1);
	});

	it('deletes a record with pending edits from under them', async () => {
		const db = await signedInDevice();
		const edited = observation();
		await db.observation.put(edited);
		await recordMutation(db, 'observation.update', { id: edited.id, changes: { note: '车已挪走' } });

		await applyPullPage(db, pageOf([del('observation', edited.id, 9)]), { clientId });

		// The edit no longer applies (nothing to edit): the device shows the server's state.
		expect(await db.observation.get(edited.id)).toBeUndefined();
		expect(await db.base.get(['observation', edited.id])).toMatchObject({ record: null });
	});
});
