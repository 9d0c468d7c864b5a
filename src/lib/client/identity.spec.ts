import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { clientIdentity, rememberActor } from './identity';
import { readMeta } from './meta';
import { recordMutation } from './outbox';
import { LocalRefusal } from './refusal';
import { dismissRejected, needsAttention } from './rejected';
import { deleteTestDbs, openTestDb, signedInDevice } from './testing/devices';
import { coordinator, observation } from './testing/fixtures';

afterEach(deleteTestDbs);

const volunteer = { ...coordinator, id: observation().id, role: 'volunteer' as const };

describe('client identity', () => {
	it('is made once per database and shared by every tab', async () => {
		const db = openTestDb();
		const first = await clientIdentity(db);

		expect(await clientIdentity(openTestDb(db.name))).toEqual(first);
		expect(first.clientId).not.toBe(first.clientGroupId);
		expect(first.clientGroupId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
	});
});

describe('rememberActor', () => {
	it('keeps the device as it is when the same person signs in again', async () => {
		const db = await signedInDevice();
		const identity = await clientIdentity(db);

		expect(await rememberActor(db, coordinator)).toBe(false);

		expect(await clientIdentity(db)).toEqual(identity);
		expect(await db.compound.count()).toBe(1);
	});

	it('starts clean for another person: new client ids, no synced data', async () => {
		const db = await signedInDevice();
		const identity = await clientIdentity(db);

		expect(await rememberActor(db, volunteer)).toBe(true);

		expect(await db.compound.count()).toBe(0);
		expect(await readMeta(db, 'actor')).toEqual(volunteer);
		expect(await readMeta(db, 'nextMutationId')).toBeUndefined();
		const next = await clientIdentity(db);
		expect(next.clientId).not.toBe(identity.clientId);
		expect(next.clientGroupId).not.toBe(identity.clientGroupId);
	});

	it('refuses another person while the previous one’s changes wait in the outbox', async () => {
		const db = await signedInDevice();
		await recordMutation(db, 'observation.create', observation());

		const error = await rememberActor(db, volunteer).catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(LocalRefusal);
		expect((error as LocalRefusal).code).toBe('OUTBOX_NOT_EMPTY');
		expect(await readMeta(db, 'actor')).toEqual(coordinator);
		expect(await db.outbox.count()).toBe(1);
	});

	it('refuses another person until the previous one has dealt with their refused changes', async () => {
		const db = await signedInDevice();
		const created = observation();
		await db.rejected.put({
			id: 1,
			mutation: { id: 1, name: 'observation.create', args: created, clientTime: created.observedAt },
			collection: 'observation',
			recordId: created.id,
			code: 'FORBIDDEN',
			message: 'Not in your compounds.',
			at: created.observedAt
		});

		const error = await rememberActor(db, volunteer).catch((caught: unknown) => caught);
		expect((error as LocalRefusal).code).toBe('NEEDS_ATTENTION');

		await dismissRejected(db, 1);
		expect(await needsAttention(db)).toEqual([]);
		await rememberActor(db, volunteer);
		expect(await readMeta(db, 'actor')).toEqual(volunteer);
	});
});
