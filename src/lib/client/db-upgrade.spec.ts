import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceVersions, replacedByNewerApp } from './db';
import { recordMutation } from './outbox';
import { clientErrorMessage, LocalRefusal } from './refusal';
import { SyncRunner } from './sync/runner';
import { SyncStatus } from './sync/status.svelte';
import { deleteTestDbs, signedInDevice } from './testing/devices';
import { observation } from './testing/fixtures';

afterEach(deleteTestDbs);

/** The next version of the app opening the device database: today's versions and one more, with an upgrade. */
async function newerApp(name: string): Promise<Dexie> {
	const newer = new Dexie(name);
	for (const { version, stores, upgrade } of deviceVersions) {
		const declared = newer.version(version).stores(stores);
		if (upgrade) declared.upgrade(upgrade);
	}
	newer
		.version(deviceVersions.at(-1)!.version + 1)
		.stores({})
		.upgrade((tx) =>
			tx
				.table('outbox')
				.toCollection()
				.modify((entry) => {
					entry.rewritten = true;
				})
		);
	await newer.open();
	return newer;
}

describe('a tab of this version when a newer version of the app upgrades the database in another tab', () => {
	it('stops saving and asks for a reload, instead of writing in the older shape past the upgrade', async () => {
		const db = await signedInDevice();
		await recordMutation(db, 'observation.create', observation());

		const newer = await newerApp(db.name);
		const error = await recordMutation(db, 'observation.create', observation()).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(LocalRefusal);
		expect(error).toMatchObject({ code: 'APP_UPDATED' });
		expect(clientErrorMessage('zh-CN', error as LocalRefusal)).toContain('请刷新本页');
		expect(clientErrorMessage('en', error as LocalRefusal)).toContain('Please reload');
		expect(replacedByNewerApp(db)).toBe(true);
		expect(db.isOpen()).toBe(false);
		expect(await newer.table('outbox').toArray()).toEqual([
			expect.objectContaining({ id: 1, rewritten: true, schemaVersion: 1 })
		]);
		newer.close();
	});

	it('stops syncing and asks for an update rather than retrying', async () => {
		const db = await signedInDevice();
		await recordMutation(db, 'observation.create', observation());
		const status = new SyncStatus();
		const runner = new SyncRunner({
			db,
			status,
			fetch: () => Promise.reject(new Error('no network in this test'))
		});
		const newer = await newerApp(db.name);
		const result = await runner.sync();
		expect(result.ok).toBe(false);
		expect(status.updateRequired).toBe(true);
		// Once known, no further sync is tried: the same answer comes back at once.
		expect(await runner.sync()).toEqual(result);
		newer.close();
	});
});
