import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '$lib/server/auth/login';
import { hashPassword, verifyPassword } from '$lib/server/auth/password';
import type { ThrottlePolicy } from '$lib/server/auth/throttle';
import type { Db } from '$lib/server/db';
import { sessions, users } from '$lib/server/db/schema';
import {
	addUser,
	freshIp,
	later,
	password,
	refusal,
	sessionPolicy,
	sessionRow,
	sha256,
	t0
} from './auth-fixtures';
import { databaseKinds, type TestDatabase } from './databases';

const minute = 60_000;

describe.each(databaseKinds)('auth: passwords and login on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	beforeAll(async () => {
		database = await open();
		db = database.db;
	});
	afterAll(async () => {
		await database.drop();
	});

	const sessionsOf = (userId: string) => db.select().from(sessions).where(eq(sessions.userId, userId));

	describe('passwords', () => {
		it('stores an argon2id hash, never the password itself', async () => {
			const user = await addUser(db);
			const [stored] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
			expect(stored.hash.startsWith('$argon2id$')).toBe(true);
			expect(stored.hash).not.toContain(password);
			// Salted: the same password never gives the same hash twice.
			expect(await hashPassword(password)).not.toBe(stored.hash);
		});

		it('verifies the right password and refuses a wrong or damaged one', async () => {
			const hash = await hashPassword(password);
			expect(await verifyPassword(hash, password)).toBe(true);
			expect(await verifyPassword(hash, `${password}!`)).toBe(false);
			expect(await verifyPassword(hash, '')).toBe(false);
			expect(await verifyPassword('not a hash', password)).toBe(false);
		});
	});

	describe('login', () => {
		it('opens a session with the right password, storing only the SHA-256 of the token', async () => {
			const user = await addUser(db);
			const ip = freshIp();
			const result = await login(
				db,
				{ username: user.username, password, ip, userAgent: 'Vitest' },
				sessionPolicy,
				t0
			);
			expect(result.userId).toBe(user.id);
			expect(result.token.length).toBeGreaterThanOrEqual(32);
			expect(result.expiresAt).toEqual(later(sessionPolicy.lifetimeMs));

			const rows = await sessionsOf(user.id);
			expect(rows).toHaveLength(1);
			expect(rows[0].id).not.toBe(result.token);
			expect(rows[0].id).toBe(sha256(result.token));
			expect(rows[0]).toMatchObject({
				ip,
				userAgent: 'Vitest',
				revokedAt: null,
				expiresAt: result.expiresAt
			});
			expect(await sessionRow(db, result.token)).toBeUndefined();
		});

		it('gives a wrong password and an unknown user the same 401 BAD_CREDENTIALS', async () => {
			const user = await addUser(db);
			const wrongPassword = await refusal(
				login(db, { username: user.username, password: 'guess', ip: freshIp() }, sessionPolicy, t0)
			);
			const unknownUser = await refusal(
				login(db, { username: 'nobody-here', password, ip: freshIp() }, sessionPolicy, t0)
			);
			for (const error of [wrongPassword, unknownUser]) {
				expect(error).toMatchObject({ status: 401, code: 'BAD_CREDENTIALS' });
			}
			expect(await wrongPassword.toResponse('en').json()).toEqual(await unknownUser.toResponse('en').json());
			expect(await sessionsOf(user.id)).toHaveLength(0);
		});

		it('accepts the username in any letter case and with surrounding spaces', async () => {
			const user = await addUser(db, { username: 'wang.fang' });
			const result = await login(
				db,
				{ username: '  Wang.FANG \t', password, ip: freshIp() },
				sessionPolicy,
				t0
			);
			expect(result.userId).toBe(user.id);
		});

		it('refuses a disabled account with 403 INACTIVE and opens no session', async () => {
			const user = await addUser(db, { active: false });
			const error = await refusal(
				login(db, { username: user.username, password, ip: freshIp() }, sessionPolicy, t0)
			);
			expect(error).toMatchObject({ status: 403, code: 'INACTIVE' });
			expect(await sessionsOf(user.id)).toHaveLength(0);
		});

		it('does not reveal a disabled account to someone without its password', async () => {
			const user = await addUser(db, { active: false });
			const error = await refusal(
				login(db, { username: user.username, password: 'guess', ip: freshIp() }, sessionPolicy, t0)
			);
			expect(error).toMatchObject({ status: 401, code: 'BAD_CREDENTIALS' });
		});

		it('refuses a deleted account as if it did not exist', async () => {
			const user = await addUser(db, { deletedAt: t0 });
			const error = await refusal(
				login(db, { username: user.username, password, ip: freshIp() }, sessionPolicy, t0)
			);
			expect(error).toMatchObject({ status: 401, code: 'BAD_CREDENTIALS' });
			expect(await sessionsOf(user.id)).toHaveLength(0);
		});
	});

	describe('throttling', () => {
		/** Five wrong passwords for one username, as a guesser would send them. */
		async function failFiveTimes(username: string, ip: string, now = t0) {
			for (let i = 0; i < 5; i++) {
				const error = await refusal(login(db, { username, password: `guess ${i}`, ip }, sessionPolicy, now));
				expect(error.code).toBe('BAD_CREDENTIALS');
			}
		}

		it('refuses the sixth attempt after five wrong passwords with 429 and Retry-After, even with the right password', async () => {
			const user = await addUser(db);
			await failFiveTimes(user.username, freshIp());

			// From a different address too: the limit is on the username.
			const error = await refusal(
				login(db, { username: user.username, password, ip: freshIp() }, sessionPolicy, later(minute))
			);
			expect(error).toMatchObject({ status: 429, code: 'THROTTLED' });
			const retryAfter = Number(error.headers['Retry-After']);
			expect(retryAfter).toBeGreaterThan(0);
			expect(retryAfter).toBeLessThanOrEqual(15 * 60);
			expect(await sessionsOf(user.id)).toHaveLength(0);
		});

		it('checks only five of twenty guesses sent at the same time', async () => {
			const user = await addUser(db);
			const guesses = Array.from({ length: 20 }, (_, i) =>
				refusal(
					login(db, { username: user.username, password: `parallel ${i}`, ip: freshIp() }, sessionPolicy)
				)
			);
			const codes = (await Promise.all(guesses)).map((error) => error.code);
			expect(codes.filter((code) => code === 'BAD_CREDENTIALS')).toHaveLength(5);
			expect(codes.filter((code) => code === 'THROTTLED')).toHaveLength(15);
		});

		it('does not hold one user’s failures against another user', async () => {
			const victim = await addUser(db);
			const bystander = await addUser(db);
			await failFiveTimes(victim.username, freshIp());
			const result = await login(
				db,
				{ username: bystander.username, password, ip: freshIp() },
				sessionPolicy,
				later(minute)
			);
			expect(result.userId).toBe(bystander.id);
		});

		it('tells the wait in seconds in Chinese and in English', async () => {
			const user = await addUser(db);
			await failFiveTimes(user.username, freshIp());
			const error = await refusal(
				login(db, { username: user.username, password, ip: freshIp() }, sessionPolicy, later(minute))
			);
			const seconds = error.headers['Retry-After'];

			const zh = error.toResponse('zh-CN');
			expect(zh.status).toBe(429);
			expect(zh.headers.get('Retry-After')).toBe(seconds);
			const zhBody = await zh.json();
			expect(zhBody.code).toBe('THROTTLED');
			expect(zhBody.message).toContain(`${seconds} 秒`);

			const en = error.toResponse('en');
			expect(en.status).toBe(429);
			expect(en.headers.get('Retry-After')).toBe(seconds);
			const enBody = await en.json();
			expect(enBody.code).toBe('THROTTLED');
			expect(enBody.message).toContain(`${seconds} seconds`);
		});

		it('lets the user in again after waiting as long as Retry-After said', async () => {
			const user = await addUser(db);
			const ip = freshIp();
			await failFiveTimes(user.username, ip);
			const askedAt = later(minute);
			const error = await refusal(
				login(db, { username: user.username, password, ip }, sessionPolicy, askedAt)
			);
			const retryAfter = Number(error.headers['Retry-After']);

			const result = await login(
				db,
				{ username: user.username, password, ip },
				sessionPolicy,
				later(retryAfter * 1000, askedAt)
			);
			expect(result.userId).toBe(user.id);
		});

		it('throttles one address guessing across many usernames at the address limit', async () => {
			const throttle: ThrottlePolicy = { windowMs: 10 * minute, perUser: 5, perAddress: 3 };
			const policy = { ...sessionPolicy, throttle };
			const user = await addUser(db);
			const guesser = freshIp();
			for (const username of ['admin', 'root', user.username]) {
				const error = await refusal(login(db, { username, password: 'guess', ip: guesser }, policy, t0));
				expect(error.code).toBe('BAD_CREDENTIALS');
			}

			// A fourth attempt from that address is refused, whoever it is for, right password or not.
			const fresh = await addUser(db);
			const error = await refusal(
				login(db, { username: fresh.username, password, ip: guesser }, policy, later(minute))
			);
			expect(error).toMatchObject({ status: 429, code: 'THROTTLED' });
			expect(Number(error.headers['Retry-After'])).toBeGreaterThan(0);

			// Other addresses are not affected, and the address is let go when the window has passed.
			expect((await login(db, { username: user.username, password, ip: freshIp() }, policy, t0)).userId).toBe(
				user.id
			);
			const afterWindow = later(throttle.windowMs + minute);
			expect(
				(await login(db, { username: fresh.username, password, ip: guesser }, policy, afterWindow)).userId
			).toBe(fresh.id);
		});

		it('clears the username’s failures on a successful login', async () => {
			const user = await addUser(db);
			const ip = freshIp();
			const attempt = (pw: string) =>
				login(db, { username: user.username, password: pw, ip }, sessionPolicy, t0);
			for (let round = 0; round < 2; round++) {
				for (let i = 0; i < 4; i++) expect((await refusal(attempt('guess'))).code).toBe('BAD_CREDENTIALS');
				// Without the reset, the second round would be refused at eight failures.
				expect((await attempt(password)).userId).toBe(user.id);
			}
		});

		it('keeps the address’s failures after a successful login', async () => {
			const policy = { ...sessionPolicy, throttle: { windowMs: 10 * minute, perUser: 5, perAddress: 3 } };
			const user = await addUser(db);
			const ip = freshIp();
			for (const username of ['admin', 'root']) {
				await refusal(login(db, { username, password: 'guess', ip }, policy, t0));
			}
			expect((await login(db, { username: user.username, password, ip }, policy, t0)).userId).toBe(user.id);

			await refusal(login(db, { username: 'operator', password: 'guess', ip }, policy, t0));
			const error = await refusal(login(db, { username: user.username, password, ip }, policy, t0));
			expect(error).toMatchObject({ status: 429, code: 'THROTTLED' });
		});
	});
});
