import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Person } from '$lib/domain';
import type { Db } from '../db';
import { sessions, users } from '../db/schema';
import { resolveScope } from './scope';

export const sessionCookie = 'gridwalk_session';

/** The person behind a request, as `GET /api/auth/me` shows them. */
/** The person a valid session belongs to. */
export type SessionUser = Person;

export interface SessionPolicy {
	lifetimeMs: number;
}

/** Only the hash of a token is stored: a copy of the database does not let anyone in. */
const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(
	db: Db,
	userId: string,
	policy: SessionPolicy,
	meta: { userAgent?: string | null; ip?: string | null },
	now = new Date()
): Promise<{ token: string; expiresAt: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(now.getTime() + policy.lifetimeMs);
	await db.insert(sessions).values({
		id: tokenId(token),
		userId,
		createdAt: now,
		lastSeenAt: now,
		expiresAt,
		userAgent: meta.userAgent?.slice(0, 300) ?? null,
		ip: meta.ip ?? null
	});
	return { token, expiresAt };
}

export interface ValidSession {
	user: SessionUser;
	sessionId: string;
	/** Set when the session was extended: the cookie should be sent again with this expiry. */
	renewedUntil?: Date;
}

/** The live session for a cookie token: not revoked, not expired, its user still active. */
export async function validateSession(
	db: Db,
	token: string,
	policy: SessionPolicy,
	now = new Date()
): Promise<ValidSession | null> {
	const id = tokenId(token);
	const [row] = await db
		.select({ session: sessions, user: users })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(
			and(
				eq(sessions.id, id),
				isNull(sessions.revokedAt),
				gt(sessions.expiresAt, now),
				eq(users.active, true),
				isNull(users.deletedAt)
			)
		);
	if (!row) return null;
	const { user } = row;
	let renewedUntil: Date | undefined;
	// Sliding expiry: a session in use is extended once half its life has passed.
	if (row.session.expiresAt.getTime() - now.getTime() < policy.lifetimeMs / 2) {
		renewedUntil = new Date(now.getTime() + policy.lifetimeMs);
		await db.update(sessions).set({ expiresAt: renewedUntil, lastSeenAt: now }).where(eq(sessions.id, id));
	}
	return {
		sessionId: id,
		renewedUntil,
		user: {
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			teamId: user.teamId,
			scope: await resolveScope(db, user)
		}
	};
}

export async function revokeSession(db: Db, sessionId: string, now = new Date()) {
	await db.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, e.g. when an admin disables the account or resets its password. */
export async function revokeUserSessions(db: Db, userId: string, now = new Date()) {
	await db
		.update(sessions)
		.set({ revokedAt: now })
		.where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
