import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '$lib/domain';
import { expect, test, type DeviceTab } from './harness/fixtures';

/*
 * A phone running out of space, for real: Chromium's own quota, lowered for the app's origin through the
 * DevTools protocol (Storage.overrideQuotaForOrigin), so that IndexedDB itself refuses the write with a
 * QuotaExceededError. Nothing in the page is stubbed; the photos are real JPEGs made with a canvas.
 * Chromium takes a lowered quota into account only before the origin first uses its storage, so the
 * quota is set before the device database opens, and raised later to stand for space freed on the phone.
 */

const quota = 1024 * 1024;

async function observationArgs(tab: DeviceTab, me: Actor, note: string) {
	const [grid] = await tab.call('where', 'grid', 'leaderUserId', me.id);
	const [building] = await tab.call('where', 'building', 'gridId', String(grid.id));
	return {
		id: uuidv7(),
		category: 'sanitation',
		subtype: 'sanitation.overflowing_bin',
		severity: 'low',
		location: { ...(building.point as { lat: number; lng: number }), accuracy: 12 },
		compoundId: building.compoundId,
		buildingId: building.id,
		note,
		photos: [],
		observedAt: new Date().toISOString(),
		resolvedOnSpot: false,
		by: me.id
	};
}

test('a photo that does not fit leaves no trace, tells the person why, and keeps what was saved before', async ({
	openTab,
	logInAs,
	context,
	baseURL
}) => {
	test.setTimeout(90_000);
	await logInAs('leader');
	const tab = await openTab();
	const cdp = await context.newCDPSession(tab.page);
	const origin = new URL(baseURL!).origin;
	await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: quota });
	await tab.call('open', 'gridwalk');
	const me: Actor = await tab.call('signIn');
	expect(await tab.call('sync')).toMatchObject({ ok: true });

	const earlierArgs = await observationArgs(tab, me, 'bins full behind building 3');
	const earlier = await tab.call('recordWithPhoto', 'observation.create', earlierArgs, {
		width: 320,
		height: 240
	});
	expect(earlier).toMatchObject({ ok: true, id: 1 });
	const before = await tab.call('queues');

	// A camera-sized photo does not fit in what is left.
	const blockedArgs = await observationArgs(tab, me, 'bulky waste by the gate');
	const blocked = await tab.call('recordWithPhoto', 'observation.create', blockedArgs, {
		width: 1600,
		height: 1200
	});

	const { usage } = await tab.call('storageEstimate');
	expect(usage + blocked.bytes).toBeGreaterThan(quota);
	expect(blocked).toMatchObject({ ok: false, refused: { code: 'STORAGE_FULL' } });
	if (blocked.ok) throw new Error('the photo was saved');
	expect(blocked.refused.zh).toContain('手机存储空间已满');
	expect(blocked.refused.en).toContain('storage on this phone is full');
	expect(await tab.call('get', 'observation', blockedArgs.id)).toBeNull();
	expect(await tab.call('queues')).toEqual(before);
	expect(await tab.call('get', 'observation', earlierArgs.id)).toMatchObject({ note: earlierArgs.note });

	// Space freed: the same record saves as the next change, without a gap, and both reach the server.
	await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 64 * quota });
	const saved = await tab.call('recordWithPhoto', 'observation.create', blockedArgs, {
		width: 1600,
		height: 1200
	});
	expect(saved).toMatchObject({ ok: true, id: 2 });
	expect(await tab.call('sync')).toMatchObject({ ok: true, pushed: 2 });
	expect(await tab.call('queues')).toMatchObject({ outbox: [], rejected: [], acknowledged: 2 });
	expect((await tab.call('queues')).photos.every((photo) => photo.uploaded)).toBe(true);
});
