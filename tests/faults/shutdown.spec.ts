import 'fake-indexeddb/auto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Building } from '$lib/domain';
import { seeded, SimDevice } from './devices';
import { ServerProcess } from './serverProcess';
import { freePort, storageKinds } from './serverStorage';
import { observationAt } from './workload';

/*
 * `npm start` then Ctrl-C (or a service manager's SIGTERM): the server stops taking requests, closes
 * its database and exits by itself, and what it acknowledged is there when it starts again.
 */

const password = 'shutdown-test-password';

describe.each(storageKinds)('stopping the server ($kind)', ({ create }) => {
	const cleanups: (() => Promise<unknown>)[] = [];
	afterAll(async () => {
		for (const cleanup of cleanups.reverse()) await cleanup();
	});

	it('exits by itself on SIGTERM with its database closed, and keeps every acknowledged record', async () => {
		const storage = await create();
		cleanups.push(() => storage.drop());
		const server = new ServerProcess(await freePort(), {
			GRIDWALK_DEMO: '1',
			DEMO_PASSWORD: password,
			...storage.env
		});
		cleanups.push(() => server.kill());
		await server.start();

		const phone = new SimDevice('phone', 'volunteer', seeded(1));
		cleanups.push(() => phone.close());
		await phone.signIn(server.url, password, server.url);
		expect(await phone.sync()).toMatchObject({ ok: true });
		const building = (await phone.db.table('building').toArray())[0] as Building;
		const observation = observationAt(building, phone.actor.id, 'left by the bins before the restart');
		expect(await phone.record('observation.create', observation)).toBe(true);
		expect(await phone.sync()).toMatchObject({ ok: true, pushed: 1 });

		const took = await server.stop();
		console.log(`[shutdown] exited ${took} ms after SIGTERM`);
		await server.start();
		const fresh = new SimDevice('fresh phone', 'volunteer', seeded(2));
		cleanups.push(() => fresh.close());
		await fresh.signIn(server.url, password, server.url);
		expect(await fresh.sync()).toMatchObject({ ok: true });
		expect(await fresh.db.table('observation').get(observation.id)).toMatchObject({
			note: 'left by the bins before the restart'
		});
	});
});
