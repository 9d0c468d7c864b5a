import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceDb } from '../db';
import { clientIdentity } from '../identity';
import { readMeta } from '../meta';
import { isPending, recordMutation } from '../outbox';
import { savePhoto } from '../photos';
import { deleteTestDbs, openTestDb, signedInDevice } from '../testing/devices';
import { FakeSyncServer } from '../testing/fakeSyncServer';
import { caseRecord, compound, observation, RecordingReporter } from '../testing/fixtures';
import { ManualClock } from '../testing/manualClock';
import type { PageSignals } from './environment';
import { processLock } from './lock';
import { SyncRunner, type SyncRunnerOptions } from './runner';

/*
 * The runner against FakeSyncServer: an in-memory stand-in for the real server that implements the sync
 * contract and nothing else. The real server has its own integration suite; here the device is on trial.
 */

afterEach(deleteTestDbs);

const runners: SyncRunner[] = [];
afterEach(() => {
	for (const runner of runners.splice(0)) runner.stop();
});

function districtServer(): FakeSyncServer {
	const server = new FakeSyncServer();
	server.seed('compound', compound);
	return server;
}

async function device(
	server: FakeSyncServer,
	options: Partial<SyncRunnerOptions> = {}
): Promise<{ db: DeviceDb; runner: SyncRunner; clock: ManualClock; status: RecordingReporter }> {
	const db = options.db ?? (await signedInDevice());
	const clock = new ManualClock();
	const status = new RecordingReporter();
	const runner = new SyncRunner({
		db,
		fetch: server.fetch,
		lock: processLock(),
		clock,
		random: () => 0.5,
		status,
		...options
	});
	runners.push(runner);
	return { db, runner, clock, status };
}

const pulls = (server: FakeSyncServer) => server.requests.filter((r) => r === 'POST /api/sync/pull').length;

/** Runs `write` on the device once, when the server receives its next pull (a person typing mid-sync). */
function duringNextPull(server: FakeSyncServer, write: () => Promise<unknown>): void {
	server.onRequest = async (path) => {
		if (path !== '/api/sync/pull') return;
		server.onRequest = () => undefined;
		await write();
	};
}

describe('a sync', () => {
	it('pushes the outbox, pulls, and drops what the pull confirms', async () => {
		const server = districtServer();
		const { db, runner, status } = await device(server);
		const created = observation();
		await recordMutation(db, 'observation.create', created);

		const result = await runner.sync();

		expect(result).toEqual({ ok: true, pushed: 1, pulled: 2 });
		expect(server.get('observation', created.id)).toEqual(created);
		expect(await db.observation.get(created.id)).toEqual(created);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.base.count()).toBe(0);
		expect(await readMeta(db, 'cursor')).toBe(String(server.version));
		expect(status.snapshot).toMatchObject({
			syncing: false,
			pendingCount: 0,
			lastError: null,
			lastSuccessAt: '2026-03-02T09:30:00.000Z'
		});
	});

	it('keeps an applied mutation queued, no longer "saved on this device", until a pull confirms it', async () => {
		const server = districtServer();
		const { db, runner } = await device(server);
		const created = observation();
		await recordMutation(db, 'observation.create', created);
		server.failNext('/api/sync/pull', 503);

		expect((await runner.sync()).ok).toBe(false);
		expect(await isPending(db, 'observation', created.id)).toBe(false);
		expect(await db.outbox.count()).toBe(1);

		expect((await runner.sync()).ok).toBe(true);
		expect(await db.outbox.count()).toBe(0);
		expect(server.requests.filter((r) => r === 'POST /api/sync/push')).toHaveLength(1);
	});

	it('has a mutation take effect once when the answer to its push is lost', async () => {
		const server = districtServer();
		const { db, runner } = await device(server);
		await recordMutation(db, 'observation.create', observation());
		await recordMutation(db, 'observation.create', observation());
		server.failNext('/api/sync/push', 'drop-response');

		expect(await runner.sync()).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
		expect(await runner.sync()).toMatchObject({ ok: true, pushed: 2 });

		expect([...server.effects.values()]).toEqual([1, 1]);
		expect(await db.outbox.count()).toBe(0);
	});

	it('pulls page after page until the server has no more', async () => {
		const server = districtServer();
		for (let i = 0; i < 5; i++) server.seed('observation', observation());
		const { db, runner, status } = await device(server, { pullLimit: 2 });

		expect(await runner.sync()).toEqual({ ok: true, pushed: 0, pulled: 6 });
		expect(pulls(server)).toBe(3);
		expect(await db.observation.count()).toBe(5);
		expect(status.snapshot.progress).toBeNull();
	});

	it('folds calls made during a sync into one more sync', async () => {
		const server = districtServer();
		const { runner } = await device(server);

		const first = runner.sync();
		const second = runner.sync();
		const third = runner.sync();

		expect(third).toBe(second);
		await Promise.all([first, second]);
		expect(pulls(server)).toBe(2);
	});
});

describe('a refused mutation', () => {
	it('goes to "needs attention" and the device shows the server’s current record', async () => {
		const server = districtServer();
		const { db, runner, status } = await device(server);
		const open = caseRecord({ status: 'in_progress' });
		server.seed('case', open);
		await runner.sync();
		await recordMutation(db, 'case.transition', {
			id: open.id,
			from: 'in_progress',
			to: 'resolved',
			resolution: '已劝离'
		});
		const closedElsewhere = { ...open, status: 'rejected', resolution: '不属于物业职责' };
		server.seed('case', closedElsewhere);

		expect((await runner.sync()).ok).toBe(true);

		expect(await db.outbox.count()).toBe(0);
		expect(await db.rejected.toArray()).toEqual([
			expect.objectContaining({
				code: 'STALE_TRANSITION',
				collection: 'case',
				recordId: open.id,
				current: closedElsewhere,
				mutation: expect.objectContaining({ id: 1, name: 'case.transition' })
			})
		]);
		expect(await db.case.get(open.id)).toEqual(closedElsewhere);
		expect(status.snapshot.needsAttention).toHaveLength(1);
		expect(status.snapshot.pendingCount).toBe(0);
	});

	it('is undone on the device even when the server sends nothing new about the record', async () => {
		const server = districtServer();
		const { db, runner } = await device(server);
		const seen = observation();
		server.seed('observation', seen);
		await runner.sync();
		server.refuse = (m) =>
			m.name === 'observation.update' ? { code: 'FORBIDDEN', message: '无权修改' } : null;
		await recordMutation(db, 'observation.update', { id: seen.id, changes: { note: '改过的说明' } });

		await runner.sync();

		expect(await db.observation.get(seen.id)).toEqual(seen);
		expect(await db.rejected.count()).toBe(1);
		expect(await db.base.count()).toBe(0);
	});
	it('still leaves the device with the server’s data when the answer to the refusal was lost', async () => {
		const server = districtServer();
		const { db, runner } = await device(server);
		const seen = observation();
		server.seed('observation', seen);
		await runner.sync();
		server.refuse = (m) =>
			m.name === 'observation.update' ? { code: 'FORBIDDEN', message: '无权修改' } : null;
		await recordMutation(db, 'observation.update', { id: seen.id, changes: { note: '改过的说明' } });
		server.failNext('/api/sync/push', 'drop-response');

		expect((await runner.sync()).ok).toBe(false);
		expect((await runner.sync()).ok).toBe(true);

		// The retry hears "applied" for an id the server has passed (DESIGN.md §3), so the refusal itself is
		// lost; the pull's confirmation still rebuilds the record from the server's copy.
		expect(await db.observation.get(seen.id)).toEqual(seen);
		expect(await db.outbox.count()).toBe(0);
	});
});

describe('a pull page', () => {
	it('is rebased: the device still shows its pending edit over the server’s newer record', async () => {
		const server = districtServer();
		const { db, runner } = await device(server);
		const seen = observation({ severity: 'low' });
		server.seed('observation', seen);
		await runner.sync();
		server.seed('observation', { ...seen, severity: 'high' });
		duringNextPull(server, () =>
			recordMutation(db, 'observation.update', { id: seen.id, changes: { note: '车已挪走' } })
		);

		await runner.sync();

		const merged = { ...seen, severity: 'high', note: '车已挪走' };
		expect(await db.observation.get(seen.id)).toEqual(merged);
		expect(await isPending(db, 'observation', seen.id)).toBe(true);
		expect(await db.base.get(['observation', seen.id])).toMatchObject({
			record: { ...seen, severity: 'high' }
		});

		await runner.sync();

		expect(server.get('observation', seen.id)).toEqual(merged);
		expect(await db.observation.get(seen.id)).toEqual(merged);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.base.count()).toBe(0);
	});

	it('is applied whole or not at all', async () => {
		const server = districtServer();
		const { db, runner, status } = await device(server);
		const seen = observation();
		server.seed('observation', seen);
		await runner.sync();
		const cursor = await readMeta(db, 'cursor');
		await recordMutation(db, 'observation.create', observation());
		server.seed('observation', { ...seen, note: '服务器上的新说明' });
		server.editPage = (page) => ({
			...page,
			changes: [
				...page.changes,
				{ collection: 'observation', id: 'x', op: 'put', record: { id: {} }, version: 999 }
			]
		});

		expect(await runner.sync()).toMatchObject({ ok: false, error: { code: 'LOCAL' } });

		expect(await db.observation.get(seen.id)).toEqual(seen);
		expect(await readMeta(db, 'cursor')).toBe(cursor);
		expect(await db.outbox.count()).toBe(1);
		expect(status.snapshot.lastError?.code).toBe('LOCAL');
	});

	it('with reset reloads everything from the start and keeps the outbox', async () => {
		const server = districtServer();
		const { db, runner } = await device(server, { pullLimit: 2 });
		const kept = observation();
		const outOfScope = observation();
		const others = [observation(), observation(), observation()];
		for (const record of [kept, outOfScope, ...others]) server.seed('observation', record);
		await runner.sync();
		const photo = await savePhoto(db, new Blob(['jpeg'], { type: 'image/jpeg' }), { width: 4, height: 3 });
		server.hidden.add(`observation/${outOfScope.id}`);
		server.resetGroups.add((await clientIdentity(db)).clientGroupId);
		const local = observation({ photos: [photo] });
		duringNextPull(server, async () => {
			await recordMutation(db, 'observation.create', local);
			await recordMutation(db, 'observation.update', { id: kept.id, changes: { note: '重新核实' } });
		});

		expect((await runner.sync()).ok).toBe(true);

		expect(await db.observation.get(outOfScope.id)).toBeUndefined();
		expect(await db.observation.get(kept.id)).toEqual({ ...kept, note: '重新核实' });
		expect(await db.observation.bulkGet(others.map((o) => o.id))).toEqual(others);
		expect(await db.compound.get(compound.id)).toEqual(compound);
		expect(await db.observation.get(local.id)).toEqual(local);
		expect((await db.outbox.toArray()).map((entry) => entry.recordId)).toEqual([local.id, kept.id]);
		expect(await db.photos.count()).toBe(1);
		expect(await readMeta(db, 'cursor')).toBe(String(server.version));

		await runner.sync();
		expect(server.get('observation', local.id)).toEqual(local);
		expect(server.get('observation', kept.id)).toEqual({ ...kept, note: '重新核实' });
		expect(await db.outbox.count()).toBe(0);
	});
});

describe('when the server cannot be used', () => {
	it('keeps everything after a network failure and retries with growing, jittered waits', async () => {
		const server = districtServer();
		const { db, runner, clock, status } = await device(server);
		const created = observation();
		await recordMutation(db, 'observation.create', created);
		server.unreachable = true;

		expect(await runner.start()).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
		expect(await db.observation.get(created.id)).toEqual(created);
		expect(await db.outbox.count()).toBe(1);
		expect(status.snapshot).toMatchObject({ online: false, pendingCount: 1, lastError: { code: 'NETWORK' } });
		expect(await readMeta(db, 'lastError')).toMatchObject({ code: 'NETWORK' });
		// base 5 s, equal jitter at random() = 0.5: 3.75 s, then 7.5 s …
		expect(clock.pendingDelays).toEqual([3_750]);

		clock.advance(3_750);
		await vi.waitFor(() => expect(clock.pendingDelays).toEqual([7_500]));

		server.unreachable = false;
		clock.advance(7_500);
		await vi.waitFor(() => expect(clock.pendingDelays).toEqual([5 * 60_000]));
		expect(server.get('observation', created.id)).toEqual(created);
		expect(await db.outbox.count()).toBe(0);
		expect(status.snapshot).toMatchObject({ online: true, lastError: null, pendingCount: 0 });
	});

	it('asks for a login on 401, keeps the outbox and does not retry by itself', async () => {
		const server = districtServer();
		const { db, runner, clock, status } = await device(server);
		await recordMutation(db, 'observation.create', observation());
		server.signedIn = false;

		expect(await runner.start()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
		expect(status.snapshot.loginRequired).toBe(true);
		expect(await db.outbox.count()).toBe(1);
		expect(clock.pendingDelays).toEqual([]);

		server.signedIn = true;
		expect((await runner.sync()).ok).toBe(true);
		expect(status.snapshot.loginRequired).toBe(false);
		expect(await db.outbox.count()).toBe(0);
	});

	it('asks for an app update when the server refuses the protocol, and stops syncing', async () => {
		const server = districtServer();
		const { db, runner, status } = await device(server);
		await recordMutation(db, 'observation.create', observation());
		server.acceptedProtocol = 2;

		expect(await runner.sync()).toMatchObject({ ok: false, error: { code: 'VERSION_NOT_SUPPORTED' } });
		const asked = server.requests.length;
		expect(await runner.sync()).toMatchObject({ ok: false, error: { code: 'VERSION_NOT_SUPPORTED' } });

		expect(server.requests.length).toBe(asked);
		expect(status.snapshot.updateRequired).toBe(true);
		expect(await db.outbox.count()).toBe(1);
	});

	it('stops on a mutation gap with the error kept, and does not retry by itself', async () => {
		const server = districtServer();
		const { db, runner, clock, status } = await device(server);
		await recordMutation(db, 'observation.create', observation());
		await runner.start();
		server.forgetClients();
		await recordMutation(db, 'observation.create', observation());

		expect(await runner.sync()).toMatchObject({ ok: false, error: { code: 'MUTATION_GAP' } });
		expect(status.snapshot.lastError?.code).toBe('MUTATION_GAP');
		expect(await db.outbox.count()).toBe(1);
		expect(clock.pendingDelays).toEqual([]);
	});

	it('lets the service worker’s sync event retry only what a retry can fix', async () => {
		const server = districtServer();
		const { runner } = await device(server);

		server.unreachable = true;
		await expect(runner.requestSync()).rejects.toMatchObject({ code: 'NETWORK' });
		server.unreachable = false;
		server.signedIn = false;
		await expect(runner.requestSync()).resolves.toBeUndefined();
	});
});

describe('photos', () => {
	it('are uploaded before the mutation that refers to them, unless the server has them', async () => {
		const server = districtServer();
		const { db, runner, status } = await device(server);
		const fresh = await savePhoto(db, new Blob(['fresh jpeg'], { type: 'image/jpeg' }), {
			width: 4,
			height: 3
		});
		const known = await savePhoto(db, new Blob(['known jpeg'], { type: 'image/jpeg' }), {
			width: 4,
			height: 3
		});
		server.blobs.set(known.sha256, new Blob(['known jpeg']));
		await recordMutation(db, 'observation.create', observation({ photos: [fresh, known] }));
		await runner.refreshStatus();
		expect(status.snapshot.bytesLeft).toBe(fresh.bytes + known.bytes);

		expect((await runner.sync()).ok).toBe(true);

		expect(server.requests).toEqual([
			`HEAD /api/blobs/${fresh.sha256}`,
			`PUT /api/blobs/${fresh.sha256}`,
			`HEAD /api/blobs/${known.sha256}`,
			'POST /api/sync/push',
			'POST /api/sync/pull'
		]);
		expect(await server.blobs.get(fresh.sha256)?.text()).toBe('fresh jpeg');
		expect((await db.photos.toArray()).map((photo) => photo.uploaded)).toEqual([true, true]);
		expect(status.snapshot.bytesLeft).toBe(0);
	});
});

describe('triggers', () => {
	it('sync after a local write (debounced), on `online` and when the page becomes visible', async () => {
		const server = districtServer();
		let visible = false;
		const signals: PageSignals = {
			connectivity: new EventTarget(),
			visibility: new EventTarget(),
			isOnline: () => true,
			isVisible: () => visible
		};
		const { db, runner, clock } = await device(server, { signals, pollMs: 0 });
		await runner.start();
		const created = observation();

		await recordMutation(db, 'observation.create', created);
		expect(clock.pendingDelays).toEqual([2_000]);
		clock.advance(2_000);
		await vi.waitFor(() => expect(server.get('observation', created.id)).toEqual(created));
		await vi.waitFor(() => expect(pulls(server)).toBe(2));

		signals.connectivity!.dispatchEvent(new Event('online'));
		await vi.waitFor(() => expect(pulls(server)).toBe(3));
		signals.visibility!.dispatchEvent(new Event('visibilitychange'));
		visible = true;
		signals.visibility!.dispatchEvent(new Event('visibilitychange'));
		await vi.waitFor(() => expect(pulls(server)).toBe(4));

		runner.stop();
		await recordMutation(db, 'observation.create', observation());
		expect(clock.pendingDelays).toEqual([]);
	});
});

describe('the lock', () => {
	it('keeps two tabs from syncing at the same time', async () => {
		const server = districtServer();
		server.delayMs = 20;
		const lock = processLock();
		const tabA = await device(server, { lock });
		const tabB = await device(server, { lock, db: openTestDb(tabA.db.name) });
		await recordMutation(tabA.db, 'observation.create', observation());

		const results = await Promise.all([tabA.runner.sync(), tabB.runner.sync()]);

		expect(results.map((result) => result.ok)).toEqual([true, true]);
		expect(server.maxInFlight).toBe(1);
		expect(server.requests.filter((r) => r === 'POST /api/sync/push')).toHaveLength(1);
	});

	it('is what keeps them apart: with separate locks the same two tabs overlap', async () => {
		const server = districtServer();
		server.delayMs = 20;
		const tabA = await device(server);
		const tabB = await device(server, { db: openTestDb(tabA.db.name) });

		await Promise.all([tabA.runner.sync(), tabB.runner.sync()]);

		expect(server.maxInFlight).toBe(2);
	});

	it('by default lets different devices in one Node process sync side by side', async () => {
		const server = districtServer();
		server.delayMs = 20;
		const [first, second] = [
			await device(server, { lock: undefined }),
			await device(server, { lock: undefined })
		];

		await Promise.all([first.runner.sync(), second.runner.sync()]);

		expect(server.maxInFlight).toBe(2);
	});
});

describe('devices', () => {
	it('that pulled to the same cursor hold the same data, whatever order they pushed in', async () => {
		const server = districtServer();
		const shared = observation({ severity: 'low' });
		const open = caseRecord({ status: 'in_progress' });
		server.seed('observation', shared);
		server.seed('case', open);
		const phone = await device(server);
		const tablet = await device(server);
		await phone.runner.sync();
		await tablet.runner.sync();

		await recordMutation(phone.db, 'observation.update', {
			id: shared.id,
			changes: { note: '手机上的说明' }
		});
		await recordMutation(tablet.db, 'observation.update', { id: shared.id, changes: { severity: 'high' } });
		await recordMutation(phone.db, 'case.transition', {
			id: open.id,
			from: 'in_progress',
			to: 'resolved',
			resolution: '已处理'
		});
		await recordMutation(tablet.db, 'case.transition', {
			id: open.id,
			from: 'in_progress',
			to: 'rejected',
			reason: '不属于物业职责'
		});
		await tablet.runner.sync();
		await phone.runner.sync();
		await tablet.runner.sync();

		expect(await readMeta(phone.db, 'cursor')).toBe(await readMeta(tablet.db, 'cursor'));
		for (const { db } of [phone, tablet]) {
			expect(await db.observation.toArray()).toEqual([{ ...shared, note: '手机上的说明', severity: 'high' }]);
			expect(await db.case.get(open.id)).toEqual(server.get('case', open.id));
			expect(await db.outbox.count()).toBe(0);
		}
		expect(await phone.db.rejected.count()).toBe(1);
	});
});
