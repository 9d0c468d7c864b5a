import type { Page } from '@playwright/test';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '$lib/domain';
import type { PushRequest, PushResponse } from '$lib/sync/protocol';
import { expect, test, type DeviceTab } from './harness/fixtures';
import { pullEverything } from './server';

/*
 * Two tabs of one browser profile, each running the app's SyncRunner over the same device database, in
 * Chromium against the built server. Not simulated: IndexedDB, Web Locks, liveQuery across tabs, the
 * session cookie. Each request waits 40 ms before it leaves the tab, so that syncs last long enough for
 * the two tabs to collide if the lock let them.
 */

interface Push {
	tab: string;
	ids: number[];
	results: PushResponse['results'];
}

/** Every push a tab sends and what the server answered to it. */
function recordPushes(page: Page, tab: string, pushes: Push[]): void {
	page.on('requestfinished', async (request) => {
		if (!request.url().endsWith('/api/sync/push')) return;
		const body = request.postDataJSON() as PushRequest;
		const answer = (await (await request.response())!.json()) as PushResponse;
		pushes.push({ tab, ids: body.mutations.map((m) => m.id), results: answer.results });
	});
}

/** Whether two tabs' lock-holding intervals overlap anywhere. */
function overlaps(a: { startedAt: number; endedAt: number | null }[], b: typeof a): boolean {
	return a.some((x) =>
		b.some((y) => x.startedAt < (y.endedAt ?? Infinity) && y.startedAt < (x.endedAt ?? Infinity))
	);
}

async function settled(tabs: DeviceTab[]): Promise<void> {
	await expect.poll(async () => (await tabs[0].call('queues')).outbox.length, { timeout: 20_000 }).toBe(0);
	for (const tab of tabs) expect(await tab.call('sync')).toMatchObject({ ok: true });
}

test('two tabs: one sync at a time, both see every record, every change reaches the server once', async ({
	openTab,
	logInAs
}) => {
	test.setTimeout(120_000);
	const request = await logInAs('leader');
	const [a, b] = [await openTab(), await openTab()];
	const pushes: Push[] = [];
	recordPushes(a.page, 'A', pushes);
	recordPushes(b.page, 'B', pushes);
	for (const tab of [a, b]) {
		await tab.call('open', 'gridwalk', { delayMs: 40 });
		await tab.call('watch', 'observation');
	}
	const me: Actor = await a.call('signIn');
	await b.call('signIn');
	expect(await a.call('sync')).toMatchObject({ ok: true });

	const [grid] = await a.call('where', 'grid', 'leaderUserId', me.id);
	const [building] = await a.call('where', 'building', 'gridId', String(grid.id));
	const point = building.point as { lat: number; lng: number };
	const observation = (note: string) => ({
		id: uuidv7(),
		category: 'safety',
		subtype: 'safety.light_broken',
		severity: 'medium',
		location: { ...point, accuracy: 10 },
		compoundId: building.compoundId,
		buildingId: building.id,
		note,
		photos: [],
		observedAt: new Date().toISOString(),
		resolvedOnSpot: false,
		by: me.id
	});

	// Both tabs run, with every trigger: each write schedules a sync in the tab that made it.
	await Promise.all([a.call('start'), b.call('start')]);
	const made: string[] = [];
	for (let round = 0; round < 4; round++) {
		const [fromA, fromB] = [observation(`tab A, round ${round}`), observation(`tab B, round ${round}`)];
		made.push(fromA.id, fromB.id);
		const written = await Promise.all([
			a.call('record', 'observation.create', fromA),
			b.call('record', 'observation.create', fromB),
			a.call('sync'),
			b.call('sync')
		]);
		expect(written.slice(0, 2)).toEqual([
			expect.objectContaining({ ok: true }),
			expect.objectContaining({ ok: true })
		]);
	}
	await settled([a, b]);

	// The case opened for the first record, moved along its path by one tab after the other.
	const [opened] = await a
		.call('where', 'case', 'compoundId', String(building.compoundId))
		.then((cases) => cases.filter((c) => (c.source as { id: string }).id === made[0]));
	expect(opened).toMatchObject({ status: 'reported' });
	const caseId = String(opened.id);
	const moves = [
		[a, { from: 'reported', to: 'triaged' }],
		[b, { from: 'triaged', to: 'assigned', assigneeId: me.id }],
		[a, { from: 'assigned', to: 'in_progress' }],
		[b, { from: 'in_progress', to: 'resolved', resolution: 'The stair light is fixed' }]
	] as const;
	for (const [tab, move] of moves) {
		const other = tab === a ? b : a;
		const [moved] = await Promise.all([
			tab.call('record', 'case.transition', { id: caseId, ...move }),
			other.call('sync'),
			tab.call('sync')
		]);
		expect(moved).toMatchObject({ ok: true });
	}
	await settled([a, b]);

	// One sync at a time across the tabs, and they did contend: a tab asked while the other held the lock.
	const [syncsA, syncsB] = [await a.call('syncs'), await b.call('syncs')];
	expect(syncsA.spans.length).toBeGreaterThan(3);
	expect(syncsB.spans.length).toBeGreaterThan(3);
	expect(overlaps(syncsA.spans, syncsB.spans)).toBe(false);
	const askedDuring = (asked: number[], spans: typeof syncsA.spans) =>
		asked.some((t) => spans.some((s) => s.startedAt < t && t < (s.endedAt ?? Infinity)));
	expect(askedDuring(syncsA.asked, syncsB.spans) || askedDuring(syncsB.asked, syncsA.spans)).toBe(true);

	// Every mutation was sent in exactly one push, by one of the tabs, and applied.
	const queues = await a.call('queues');
	const total = made.length + moves.length;
	expect(queues).toMatchObject({ outbox: [], rejected: [], nextMutationId: total + 1, acknowledged: total });
	await expect.poll(() => pushes.flatMap((push) => push.ids).length).toBeGreaterThanOrEqual(total);
	const sent = pushes.flatMap((push) => push.ids).sort((x, y) => x - y);
	expect(sent).toEqual(Array.from({ length: total }, (_, i) => i + 1));
	expect(pushes.flatMap((push) => push.results).every((result) => result.status === 'applied')).toBe(true);
	expect(new Set(pushes.map((push) => push.tab))).toEqual(new Set(['A', 'B']));

	// The server holds each record once and each case move once.
	const server = await pullEverything(request);
	const observations = server.filter((c) => c.collection === 'observation' && made.includes(c.id));
	expect(observations.map((c) => c.id).sort()).toEqual([...made].sort());
	const transitions = server
		.flatMap((c) => (c.collection === 'caseEvent' && c.op === 'put' ? [c.record] : []))
		.filter((event) => event.caseId === caseId && event.kind === 'transition')
		.map((event) => event.to);
	expect(transitions.sort()).toEqual(['assigned', 'in_progress', 'reported', 'resolved', 'triaged']);
	const serverCase = server.find((c) => c.collection === 'case' && c.id === caseId);

	// Both tabs see every record (their liveQuery lists followed the other tab's writes) and the same case.
	for (const tab of [a, b]) {
		await expect
			.poll(() =>
				tab.call('seenIds', 'observation').then((ids) => made.filter((id) => ids.includes(id)).length)
			)
			.toBe(made.length);
		expect(await tab.call('get', 'case', caseId)).toEqual(
			serverCase?.op === 'put' ? serverCase.record : null
		);
	}
});
