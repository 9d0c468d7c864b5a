import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingCount } from '$lib/client/outbox';
import { contentHashes, differences, seeded, SimDevice, sleep, snapshot, type Snapshot } from './devices';
import { baselineOf, checkExactlyOnce, type DeviceLedger } from './exactlyOnce';
import { FaultProxy, type FaultPlan } from './faultProxy';
import { ServerProcess } from './serverProcess';
import { freePort, storageKinds, type ServerStorage } from './serverStorage';
import { observationAt, Workload, type Focus } from './workload';

/*
 * DESIGN.md §4 invariants 2 and 3 against the real built server: simulated devices of every role write
 * and sync at random moments through a proxy that drops, duplicates, delays and 502s requests, while the
 * server process is killed (SIGKILL) and restarted. After healing the network, the server's database must
 * hold every mutation exactly once (or its device a refusal with a reason), and every device must hold
 * what a fresh device of the same person pulls.
 */

const password = 'fault-suite-password';
const seed = Number(process.env.FAULT_SEED ?? 20261125);
const stepsPerDevice = Number(process.env.FAULT_STEPS ?? 160);
/** A person's pause between two changes, at most: keeps the run long enough that most syncs meet a live server. */
const thinkMs = 300;
/** Shares of the run after which the server is killed and started again. */
const crashPoints = [0.25, 0.5, 0.75];

/** Sync requests only: logins go straight to the server. */
const faultyNetwork: FaultPlan = {
	delayMs: 400,
	choose: ({ path }, random) => {
		if (!path.startsWith('/api/sync/')) return 'pass';
		const roll = random();
		if (roll < 0.1) return 'dropBefore';
		if (roll < 0.2) return 'dropAfter';
		if (roll < 0.25) return 'badGateway';
		if (roll < 0.3) return 'duplicate';
		if (roll < 0.35) return 'delay';
		return 'pass';
	}
};
const healthyNetwork: FaultPlan = { choose: () => 'pass' };

/** label, demo username (null: a teammate of `volunteer`, found in the pulled users), tabs. */
const cast: [string, string | null, number][] = [
	['admin', 'admin', 1],
	['coordinator-phone', 'coordinator', 1],
	['coordinator-tablet', 'coordinator', 1],
	['leader-phone', 'leader', 2],
	['leader-tablet', 'leader', 1],
	['volunteer-phone', 'volunteer', 1],
	['volunteer-tablet', 'volunteer', 1],
	['teammate-phone', null, 1]
];

function tally<T extends string>(items: readonly T[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
	return counts;
}

function sum(records: Record<string, number>[]): Record<string, number> {
	const total: Record<string, number> = {};
	for (const record of records) {
		for (const [key, n] of Object.entries(record)) total[key] = (total[key] ?? 0) + n;
	}
	return total;
}

/** "load 20.1, run 80.3, …; total 130.2": how long each phase took, from `started`. */
function phaseSeconds(started: number, ends: Record<string, number>): string {
	let last = started;
	const phases = Object.entries(ends).map(([phase, end]) => {
		const took = ((end - last) / 1000).toFixed(1);
		last = end;
		return `${phase} ${took}`;
	});
	return `${phases.join(', ')}; total ${((last - started) / 1000).toFixed(1)}`;
}

describe.each(storageKinds)('sync under network faults and server crashes ($kind)', ({ kind, create }) => {
	let storage: ServerStorage;
	let server: ServerProcess;
	let proxy: FaultProxy;
	/** The fleet of the long run; `scratch` holds the devices of the focused cases. */
	const devices: SimDevice[] = [];
	const scratch: SimDevice[] = [];

	beforeAll(async () => {
		storage = await create();
		server = new ServerProcess(await freePort(), {
			GRIDWALK_DEMO: '1',
			DEMO_PASSWORD: password,
			...storage.env
		});
		await server.start();
		proxy = new FaultProxy(await freePort(), server.url, seed);
		await proxy.start();
	});

	afterAll(async () => {
		for (const device of [...devices.splice(0), ...scratch.splice(0)]) await device.close();
		await proxy?.stop();
		await server?.kill();
		await storage?.drop();
	});

	async function connect(label: string, username: string, tabs = 1, into = scratch): Promise<SimDevice> {
		const device = new SimDevice(label, username, seeded(seed + into.length * 7919), tabs);
		into.push(device);
		await device.signIn(server.url, password, proxy.url);
		const first = await device.sync();
		expect(first, `${label} first sync`).toMatchObject({ ok: true });
		return device;
	}

	/** Every tab of every device syncs until none pushes or pulls anything and every outbox is empty. */
	async function heal(): Promise<number> {
		proxy.plan = healthyNetwork;
		for (let round = 1; round <= 12; round++) {
			let quiet = true;
			for (const device of devices) {
				for (const tab of device.tabs) {
					const result = await device.sync(tab);
					const waiting = await tab.db.outbox.count();
					if (!result.ok || result.pushed > 0 || result.pulled > 0 || waiting > 0) quiet = false;
					if (!result.ok && round > 3) console.log(`${device.label} still failing:`, result.error);
				}
			}
			if (quiet) return round;
		}
		throw new Error('devices did not settle after 12 rounds of syncing on a healthy network');
	}

	/** What a new phone of this person pulls from the server. */
	async function freshCopy(username: string): Promise<Snapshot> {
		const fresh = new SimDevice(`fresh ${username}`, username, seeded(seed));
		try {
			await fresh.signIn(server.url, password, server.url);
			expect(await fresh.sync(), `fresh ${username}`).toMatchObject({ ok: true });
			return await snapshot(fresh.db);
		} finally {
			await fresh.close();
		}
	}

	it('keeps a refusal in "needs attention" when its answer is lost', async () => {
		const first = await connect('leader-first', 'leader');
		const second = await connect('leader-second', 'leader');
		const building = (await first.db.building.orderBy('id').first())!;
		const observation = observationAt(building, first.actor.id, '消防通道被占');
		expect(await first.record('observation.create', observation)).toBe(true);
		expect(await first.sync()).toMatchObject({ ok: true });
		expect(await second.sync()).toMatchObject({ ok: true });
		const [opened] = await second.db.case.filter((c) => c.source.id === observation.id).toArray();
		expect(opened).toMatchObject({ status: 'reported' });
		expect(await first.record('case.transition', { id: opened.id, from: 'reported', to: 'triaged' })).toBe(
			true
		);
		expect(await first.sync()).toMatchObject({ ok: true });

		// The second phone's move is stale; the server refuses it and the answer is lost on the way back.
		let armed = true;
		proxy.plan = {
			choose: ({ path }) => (armed && path === '/api/sync/push' ? ((armed = false), 'dropAfter') : 'pass')
		};
		const stale = { id: opened.id, from: 'reported', to: 'rejected', reason: '不属于物业' };
		expect(await second.record('case.transition', stale)).toBe(true);
		expect(await second.sync()).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
		expect(await second.sync()).toMatchObject({ ok: true });
		proxy.plan = healthyNetwork;

		expect(await second.db.rejected.toArray()).toMatchObject([{ code: 'STALE_TRANSITION' }]);
	});

	it('opens no second case when the author edits a record that already has one', async () => {
		const leader = await connect('leader-editor', 'leader');
		const sources = new Set((await leader.db.case.toArray()).map((c) => c.source.id));
		const own = await leader.db.observation.where('by').equals(leader.actor.id).sortBy('id');
		const old = own.find((o) => sources.has(o.id) && !o.resolvedOnSpot);
		expect(old, 'a demo observation of the leader with its case').toBeDefined();

		expect(
			await leader.record('observation.update', { id: old!.id, changes: { note: '补充：已联系物业' } })
		).toBe(true);
		expect(await leader.sync()).toMatchObject({ ok: true });

		expect(await leader.db.case.filter((c) => c.source.id === old!.id).count()).toBe(1);
	});

	it('applies every mutation exactly once and leaves every device with what the server holds', async () => {
		const started = Date.now();
		for (const [label, username, tabs] of cast.filter(([, username]) => username)) {
			await connect(label, username!, tabs, devices);
		}
		const volunteer = devices.find((d) => d.username === 'volunteer')!;
		const [teammate] = (await volunteer.db.user.where('role').equals('volunteer').sortBy('username')).filter(
			(u) => u.id !== volunteer.actor.id
		);
		for (const [label, , tabs] of cast.filter(([, username]) => !username)) {
			await connect(label, teammate.username, tabs, devices);
		}
		const admin = devices.find((d) => d.actor.role === 'admin')!;
		const baseline = baselineOf(await snapshot(admin.db));
		// Case managers overlap here: the leader's compounds and a few of the coordinator's; the admin sees all.
		const focus: Focus = {
			compoundIds: new Set(
				devices.flatMap(({ actor }) =>
					actor.role === 'grid_leader'
						? actor.scope.compoundIds
						: actor.role === 'coordinator'
							? [...actor.scope.compoundIds].sort().slice(0, 4)
							: []
				)
			)
		};
		const workloads = devices.map((device) => new Workload(device));
		for (const workload of workloads) await workload.prepare(focus);
		const loadedAt = Date.now();

		proxy.plan = faultyNetwork;
		const totalSteps = devices.length * stepsPerDevice;
		let steps = 0;
		const downtimes: number[] = [];
		const chaos = (async () => {
			const random = seeded(seed ^ 0x5eed);
			for (const share of crashPoints) {
				while (steps < totalSteps * share) await sleep(50);
				await server.kill();
				const down = Date.now();
				await sleep(300 + random() * 1200);
				await server.start();
				downtimes.push((Date.now() - down) / 1000);
			}
		})();
		await Promise.all(
			devices.map(async (device, i) => {
				for (let n = 0; n < stepsPerDevice; n++) {
					await workloads[i].step();
					steps += 1;
					// A sync now and then, sometimes waited for: writers cannot run far ahead of the server.
					const roll = device.random();
					if (roll < 0.1) device.syncInBackground();
					else if (roll < 0.15) await device.sync();
					await sleep(device.random() * thinkMs);
				}
				await device.settle();
			})
		);
		await chaos;
		const ranAt = Date.now();
		const faults = { ...proxy.counts };
		const syncsUnderFaults = sum(devices.map((d) => d.syncs));
		let leftForHeal = 0;
		for (const device of devices) leftForHeal += await pendingCount(device.db);
		const healRounds = await heal();
		const healedAt = Date.now();

		const copies = new Map<string, Snapshot>();
		for (const username of new Set(devices.map((d) => d.username)))
			copies.set(username, await freshCopy(username));
		const shots = new Map<SimDevice, Snapshot>();
		for (const device of devices) shots.set(device, await snapshot(device.db));

		const ledgers: DeviceLedger[] = [];
		for (const device of devices) {
			const { label, clientId, made } = device;
			ledgers.push({
				label,
				clientId,
				actorId: device.actor.id,
				made,
				rejected: await device.db.rejected.toArray()
			});
		}
		const comparedAt = Date.now();
		await server.kill();
		const database = await storage.open();
		const report = await checkExactlyOnce(database.db, ledgers, baseline).finally(() => database.close());

		const made = ledgers.flatMap((l) => l.made);
		console.log(
			[
				`[faults ${kind}] ${devices.length} devices (${devices.map((d) => `${d.label}:${d.actor.role}`).join(', ')})`,
				`  mutations made ${made.length} ${JSON.stringify(tally(made.map((m) => m.name)))}`,
				`  applied ${report.applied}; needs attention ${JSON.stringify(report.rejectedByCode)}`,
				`  refused on the device before queueing ${JSON.stringify(sum(devices.map((d) => d.localRefusals)))}`,
				`  faults injected ${JSON.stringify(faults)}; server killed and restarted ${downtimes.length}× (down ${downtimes.map((s) => s.toFixed(1)).join(', ')} s)`,
				`  syncs under faults ${JSON.stringify(syncsUnderFaults)}; ${leftForHeal} mutations left for the heal, healed in ${healRounds} rounds`,
				`  seconds: ${phaseSeconds(started, { load: loadedAt, run: ranAt, heal: healedAt, converge: comparedAt, check: Date.now() })}`
			].join('\n')
		);

		expect.soft(downtimes.length).toBeGreaterThanOrEqual(2);
		// A step the device itself refuses (its copy moved meanwhile) queues nothing; 160 steps make 1,200+.
		expect.soft(made.length, 'mutations queued').toBeGreaterThanOrEqual(0.95 * totalSteps);
		expect
			.soft(report.rejectedByCode.STALE_TRANSITION ?? 0, 'stale case moves were exercised')
			.toBeGreaterThan(0);
		expect.soft(report.problems).toEqual([]);
		for (const device of devices) {
			const copy = copies.get(device.username)!;
			expect.soft(differences(shots.get(device)!, copy), `${device.label} vs a fresh device`).toEqual([]);
			expect.soft(contentHashes(shots.get(device)!)).toEqual(contentHashes(copy));
		}
		for (const device of devices) {
			const twin = devices.find((d) => d !== device && d.username === device.username);
			if (twin) expect.soft(contentHashes(shots.get(device)!)).toEqual(contentHashes(shots.get(twin)!));
		}
	});
});
