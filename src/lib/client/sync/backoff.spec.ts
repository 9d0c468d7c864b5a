import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultBackoff } from './backoff';

describe('backoffDelay', () => {
	it('doubles from the base up to the cap', () => {
		const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelay(n, defaultBackoff, () => 1));
		expect(ceilings).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
	});

	it('waits at least half the ceiling, so jitter never turns into a storm of retries', () => {
		expect(backoffDelay(3, defaultBackoff, () => 0)).toBe(10_000);
		expect(backoffDelay(3, defaultBackoff, () => 0.5)).toBe(15_000);
	});
});
