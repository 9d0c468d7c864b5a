import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '$lib/domain';
import { changedFields, mayEdit, saveEdit } from './edits';
import { recordMutation } from './outbox';
import { deleteTestDbs, signedInDevice } from './testing/devices';
import { coordinator, observation } from './testing/fixtures';

afterEach(deleteTestDbs);

const volunteer: Actor = { ...coordinator, role: 'volunteer' };

describe('editing my records', () => {
	it('is for the author, while the record is not frozen, and visits only for roles that record them', () => {
		const mine = observation();
		expect(mayEdit(coordinator, 'observation', mine)).toBe(true);
		expect(mayEdit({ ...coordinator, id: 'someone-else' }, 'observation', mine)).toBe(false);

		const patrol = { id: 'p', by: coordinator.id, status: 'draft' };
		expect(mayEdit(coordinator, 'patrol', patrol)).toBe(true);
		expect(mayEdit(coordinator, 'patrol', { ...patrol, status: 'submitted' })).toBe(false);

		const visit = { id: 'v', by: volunteer.id };
		expect(mayEdit(coordinator, 'visit', visit)).toBe(true);
		expect(mayEdit(volunteer, 'visit', visit)).toBe(false);
		// Cases have no author: they move through their own commands.
		expect(mayEdit(coordinator, 'case', { id: 'c', by: coordinator.id })).toBe(false);
	});

	it('sends only the editable fields that changed, an emptied one as null', () => {
		const before = observation({ buildingId: 'b1' });
		const after = { ...before, note: 'moved on', severity: 'high', buildingId: undefined, compoundId: 'x' };
		expect(changedFields('observation', before, after)).toEqual({
			note: 'moved on',
			severity: 'high',
			buildingId: null
		});
		expect(changedFields('observation', before, { ...before })).toBeNull();
	});

	it('queues one update with the changes, applied on the device at once', async () => {
		const db = await signedInDevice();
		const created = observation();
		await recordMutation(db, 'observation.create', created);

		const queued = await saveEdit(db, 'observation', created, { ...created, note: '已清理' });

		expect(queued).toMatchObject({
			name: 'observation.update',
			args: { id: created.id, changes: { note: '已清理' } }
		});
		expect((await db.observation.get(created.id))?.note).toBe('已清理');
		expect(await saveEdit(db, 'observation', created, { ...created })).toBeNull();
		expect(await db.outbox.count()).toBe(2);
	});
});
