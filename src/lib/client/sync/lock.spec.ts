import { describe, expect, it } from 'vitest';
import { processLock, webLock } from './lock';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('processLock', () => {
	it('runs work under one name one at a time, in order, even after a failure', async () => {
		const lock = processLock();
		const log: string[] = [];
		const work = (label: string, fail = false) =>
			lock('gridwalk-sync', async () => {
				log.push(`${label} starts`);
				await pause(5);
				log.push(`${label} ends`);
				if (fail) throw new Error(label);
				return label;
			});

		const results = await Promise.allSettled([work('a', true), work('b'), work('c')]);

		expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
		expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
	});

	it('lets different names run side by side', async () => {
		const lock = processLock();
		let running = 0;
		let most = 0;
		const work = () => async () => {
			most = Math.max(most, ++running);
			await pause(5);
			running -= 1;
		};

		await Promise.all([lock('device-1-sync', work()), lock('device-2-sync', work())]);

		expect(most).toBe(2);
	});
});

describe('webLock', () => {
	it('asks the browser’s LockManager for the named lock', async () => {
		const asked: string[] = [];
		const locks = {
			request: (name: string, callback: () => Promise<unknown>) => {
				asked.push(name);
				return callback();
			}
		} as unknown as LockManager;

		expect(await webLock(locks)('gridwalk-sync', async () => 42)).toBe(42);
		expect(asked).toEqual(['gridwalk-sync']);
	});
});
