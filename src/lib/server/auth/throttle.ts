import { and, count, eq, gt, lt, min, or } from 'drizzle-orm';
import type { Db } from '../db';
import { loginFailures } from '../db/schema';

/** How many wrong passwords are allowed inside the window, per username and per address. */
export interface ThrottlePolicy {
	windowMs: number;
	perUser: number;
	perAddress: number;
}

export const defaultThrottle: ThrottlePolicy = { windowMs: 15 * 60_000, perUser: 5, perAddress: 30 };

const userKey = (username: string) => `user:${username.toLowerCase()}`;
const addressKey = (ip: string) => `ip:${ip}`;

/** Seconds the caller must wait before the next attempt, or 0 when an attempt is allowed. */
export async function loginWait(
	db: Db,
	who: { username: string; ip: string },
	policy: ThrottlePolicy = defaultThrottle,
	now = new Date()
): Promise<number> {
	const since = new Date(now.getTime() - policy.windowMs);
	const waits = await Promise.all(
		[
			[userKey(who.username), policy.perUser],
			[addressKey(who.ip), policy.perAddress]
		].map(async ([key, limit]) => {
			const [row] = await db
				.select({ n: count(), oldest: min(loginFailures.at) })
				.from(loginFailures)
				.where(and(eq(loginFailures.key, key as string), gt(loginFailures.at, since)));
			if (!row || row.n < (limit as number) || !row.oldest) return 0;
			const oldest = new Date(row.oldest);
			return Math.max(1, Math.ceil((oldest.getTime() + policy.windowMs - now.getTime()) / 1000));
		})
	);
	return Math.max(...waits);
}

export async function recordLoginFailure(db: Db, who: { username: string; ip: string }, now = new Date()) {
	await db.insert(loginFailures).values([
		{ key: userKey(who.username), at: now },
		{ key: addressKey(who.ip), at: now }
	]);
}

/** A successful login clears the username's failures (not the address's: one good login does not
 * excuse guessing at other accounts from the same place). Old rows are pruned on the way. */
export async function clearLoginFailures(
	db: Db,
	username: string,
	policy: ThrottlePolicy = defaultThrottle,
	now = new Date()
) {
	await db
		.delete(loginFailures)
		.where(
			or(
				eq(loginFailures.key, userKey(username)),
				lt(loginFailures.at, new Date(now.getTime() - policy.windowMs))
			)
		);
}
