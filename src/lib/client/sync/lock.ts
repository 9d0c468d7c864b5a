/** Runs `work` while holding the lock `name`; the next holder waits until it settles. */
export type SyncLock = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** Web Locks: one holder across every tab and worker of the browser profile. */
export function webLock(locks: LockManager): SyncLock {
	return <T>(name: string, work: () => Promise<T>) => locks.request(name, () => work()) as Promise<T>;
}

/** One holder at a time per name within this JavaScript realm (Node, or a browser without Web Locks). */
export function processLock(): SyncLock {
	const tails = new Map<string, Promise<unknown>>();
	return <T>(name: string, work: () => Promise<T>) => {
		const run = (tails.get(name) ?? Promise.resolve()).then(work);
		const tail = run.catch(() => undefined);
		tails.set(name, tail);
		void tail.then(() => {
			if (tails.get(name) === tail) tails.delete(name);
		});
		return run;
	};
}

const realmLock = processLock();

/** Web Locks where the browser has them, else one lock per name shared by every runner in this realm. */
export function defaultLock(): SyncLock {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	return locks ? webLock(locks) : realmLock;
}
