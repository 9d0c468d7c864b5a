export interface BackoffPolicy {
	baseMs: number;
	capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 5_000, capMs: 5 * 60_000 };

/**
 * The wait before retry number `failures` (1, 2, …): doubling from `baseMs` up to `capMs`, then "equal
 * jitter" (half fixed, half random) so devices that failed together do not come back together.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
	const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
