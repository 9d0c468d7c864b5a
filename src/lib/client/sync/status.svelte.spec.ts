import { describe, expect, it } from 'vitest';
import { SyncStatus } from './status.svelte';

describe('SyncStatus', () => {
	it('starts idle and shows what the runner reports', () => {
		const status = new SyncStatus();
		expect(status).toMatchObject({ syncing: false, pendingCount: 0, loginRequired: false, lastError: null });

		status.report({ syncing: true, pendingCount: 3, progress: { phase: 'push', done: 1, total: 3 } });
		status.report({ lastError: { code: 'NETWORK', message: 'The server could not be reached' } });

		expect(status.syncing).toBe(true);
		expect(status.pendingCount).toBe(3);
		expect(status.progress).toEqual({ phase: 'push', done: 1, total: 3 });
		expect(status.lastError?.code).toBe('NETWORK');
		expect(status.online).toBe(true);
	});
});
