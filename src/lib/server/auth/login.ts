import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { ApiError } from '../http';
import { decoyHash, verifyPassword } from './password';
import { createSession, type SessionPolicy } from './session';
import { clearLoginFailures, defaultThrottle, loginWait, recordLoginFailure, type ThrottlePolicy } from './throttle';

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
	const wait = await loginWait(db, { username, ip: attempt.ip }, throttle, now);
	if (wait > 0) {
		throw new ApiError(429, 'THROTTLED', 'error.throttled', { seconds: wait }, { 'Retry-After': String(wait) });
	}
	const [user] = await db.select().from(users).where(eq(users.username, username));
	const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyHash()), attempt.password);
	if (!user || !passwordOk || user.deletedAt) {
		await recordLoginFailure(db, { username, ip: attempt.ip }, now);
		throw new ApiError(401, 'BAD_CREDENTIALS', 'error.badCredentials');
	}
	if (!user.active) throw new ApiError(403, 'INACTIVE', 'error.inactive');
	await clearLoginFailures(db, username, throttle, now);
	const session = await createSession(db, user.id, policy, attempt, now);
	return { ...session, userId: user.id };
}
