import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '$lib/server/db';
import { sessions, users } from '$lib/server/db/schema';
import { nextVersion } from '$lib/server/db/version';
import { hashPassword } from '$lib/server/auth/password';
import { ApiError } from '$lib/server/http';

/** Shared helpers of the auth suites: people to log in as, and refusals to look at. */

export const eightHours = 8 * 60 * 60_000;
export const sessionPolicy = { lifetimeMs: eightHours };
export const t0 = new Date('2030-03-01T08:00:00Z');
export const later = (ms: number, from = t0) => new Date(from.getTime() + ms);

export const password = 'correct horse battery staple';

type NewUser = Partial<typeof users.$inferInsert>;

/** A user with a unique lower-case username and the shared `password`, stored as the app stores them. */
export async function addUser(db: Db, fields: NewUser = {}) {
	const [user] = await db
		.insert(users)
		.values({
			id: randomUUID(),
			username: `user-${randomUUID().slice(0, 8)}`,
			displayName: 'Test Person',
			role: 'volunteer',
			passwordHash: await hashPassword(password),
			syncVersion: await nextVersion(db),
			...fields
		})
		.returning();
	return user;
}

/** An address no other test uses, so one test's failures never throttle another. */
let addresses = 0;
export const freshIp = () => `198.51.100.${++addresses}`;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function sessionRow(db: Db, id: string) {
	const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
	return row;
}

/** The ApiError a promise is refused with; fails the test if it resolves or fails some other way. */
export async function refusal(promise: Promise<unknown>): Promise<ApiError> {
	const outcome = await promise.then(
		() => 'resolved',
		(error: unknown) => error
	);
	expect(outcome).toBeInstanceOf(ApiError);
	return outcome as ApiError;
}
