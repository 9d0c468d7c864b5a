import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	askPersistenceOnce,
	rememberedAnswer,
	requestPersistence,
	shouldAsk,
	storageFigures,
	storageState,
	type Memory,
	type StorageApi
} from './storage';
import { deleteTestDbs, openTestDb } from './testing/devices';

afterEach(deleteTestDbs);

const MB = 1024 * 1024;

function memory(): Memory {
	const kept = new Map<string, string>();
	return { getItem: (key) => kept.get(key) ?? null, setItem: (key, value) => void kept.set(key, value) };
}

function storage({ persisted = false, grants = true } = {}) {
	return {
		estimate: vi.fn(async () => ({ usage: 0, quota: 0 })),
		persisted: vi.fn(async () => persisted),
		persist: vi.fn(async () => grants)
	} satisfies StorageApi;
}

describe('storage figures', () => {
	it('are unknown when the browser does not say', () => {
		expect(storageFigures({})).toBeNull();
		expect(storageFigures({ usage: 10, quota: 0 })).toBeNull();
	});

	it('give what is left, and warn under 50 MB or 15 % of the quota', () => {
		expect(storageFigures({ usage: 100 * MB, quota: 1000 * MB })).toEqual({
			usage: 100 * MB,
			quota: 1000 * MB,
			available: 900 * MB,
			low: false
		});
		expect(storageFigures({ usage: 900 * MB, quota: 1000 * MB })?.low).toBe(true);
		expect(storageFigures({ usage: 10 * MB, quota: 55 * MB })?.low).toBe(true);
		expect(storageFigures({ usage: 849 * MB, quota: 1000 * MB })?.low).toBe(false);
	});
});

describe('storage state', () => {
	it('is what the browser says, or unknown where it cannot say', async () => {
		const browser = {
			...storage({ persisted: true }),
			estimate: vi.fn(async () => ({ usage: MB, quota: 1000 * MB }))
		};

		expect(await storageState(browser)).toEqual({
			figures: { usage: MB, quota: 1000 * MB, available: 999 * MB, low: false },
			persisted: true
		});
		expect(await storageState(null)).toEqual({ figures: null, persisted: null });
	});
});

describe('asking for persistent storage', () => {
	it('is done once per device, and not when the storage is already persistent', () => {
		expect(shouldAsk(null, false)).toBe(true);
		expect(shouldAsk(null, true)).toBe(false);
		expect(shouldAsk({ granted: false, at: '2026-03-02T09:00:00.000Z' }, false)).toBe(false);
	});

	it('remembers the answer, a refusal to answer as a no', async () => {
		const kept = memory();
		const refusing = { ...storage(), persist: vi.fn(() => Promise.reject(new Error('not here'))) };

		expect(await requestPersistence(refusing, kept, new Date('2026-03-02T09:00:00Z'))).toBe(false);
		expect(rememberedAnswer(kept)).toEqual({ granted: false, at: '2026-03-02T09:00:00.000Z' });
		expect(await requestPersistence(storage(), kept)).toBe(true);
		expect(rememberedAnswer(kept)?.granted).toBe(true);
	});

	it('happens after the first saved record, and only once', async () => {
		const db = openTestDb();
		const browser = storage();
		const kept = memory();
		askPersistenceOnce(db, browser, kept);

		db.events.emit('outbox:changed', { cause: 'acknowledged' });
		expect(browser.persisted).not.toHaveBeenCalled();
		db.events.emit('outbox:changed', { cause: 'recorded' });
		db.events.emit('outbox:changed', { cause: 'recorded' });

		await vi.waitFor(() => expect(rememberedAnswer(kept)?.granted).toBe(true));
		expect(browser.persist).toHaveBeenCalledTimes(1);

		// The next page load (a new listener, the same device memory) does not ask again.
		askPersistenceOnce(db, browser, kept);
		db.events.emit('outbox:changed', { cause: 'recorded' });
		await Promise.resolve();
		expect(browser.persisted).toHaveBeenCalledTimes(1);
		expect(browser.persist).toHaveBeenCalledTimes(1);
	});

	it('does not ask when the storage is already persistent, or cannot be asked', async () => {
		const db = openTestDb();
		const persistent = storage({ persisted: true });
		askPersistenceOnce(db, persistent, memory());
		askPersistenceOnce(db, null, memory());

		db.events.emit('outbox:changed', { cause: 'recorded' });

		await vi.waitFor(() => expect(persistent.persisted).toHaveBeenCalled());
		expect(persistent.persist).not.toHaveBeenCalled();
	});
});
