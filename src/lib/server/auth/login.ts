import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { ApiError } from '../http';
import { decoyHash, verifyPassword } from './password';
import { createSession, type SessionPolicy } from './session';
import {
	clearLoginFailures,
	defaultThrottle,
	loginWait,
	recordLoginFailure,
	type ThrottlePolicy
} from './throttle';

export interface LoginAttempt {
	username: string;
	password: string;
	ip: string;
	userAgent?: string | null;
}

/**
 * Checks a username and password and opens a session. Wrong password and unknown user give the
 * same answer (and take the same time); too many failures give 429 with the wait in seconds.
 */
export async function login(
	db: Db,
	attempt: LoginAttempt,
	policy: SessionPolicy & { throttle?: ThrottlePolicy },
	now = new Date()
) {
	const throttle = policy.throttle ?? defaultThrottle;
	const username = attempt.username.trim().toLowerCase();
	const who = { username, ip: attempt.ip };
	// Check, verify and record under per-username and per-address locks (taken in that order, so two
	// attempts never wait on each other in a cycle): parallel guesses cannot all read a low count.
	const outcome = await db.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`login:user:${username}`}))`);
		await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`login:ip:${attempt.ip}`}))`);
		const wait = await loginWait(tx, who, throttle, now);
		if (wait > 0) return { refused: 'throttled' as const, wait };
		const [user] = await tx.select().from(users).where(eq(users.username, username));
		const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyHash()), attempt.password);
		if (!user || !passwordOk || user.deletedAt) {
			await recordLoginFailure(tx, who, now);
			return { refused: 'credentials' as const };
		}
		if (!user.active) return { refused: 'inactive' as const };
		await clearLoginFailures(tx, username, throttle, now);
		return { userId: user.id };
	});
	if ('refused' in outcome) {
		if (outcome.refused === 'throttled') {
			const seconds = outcome.wait;
			throw new ApiError(
				429,
				'THROTTLED',
				'error.throttled',
				{ seconds },
				{ 'Retry-After': String(seconds) }
			);
		}
		if (outcome.refused === 'inactive') throw new ApiError(403, 'INACTIVE', 'error.inactive');
		throw new ApiError(401, 'BAD_CREDENTIALS', 'error.badCredentials');
	}
	const session = await createSession(db, outcome.userId, policy, attempt, now);
	return { ...session, userId: outcome.userId };
}
