import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '$lib/domain';
import { login } from '$lib/server/auth/login';
import { resolveScope } from '$lib/server/auth/scope';
import { revokeSession, revokeUserSessions, validateSession } from '$lib/server/auth/session';
import type { Db } from '$lib/server/db';
import { communities, compounds, grids, teams, users } from '$lib/server/db/schema';
import { nextVersion } from '$lib/server/db/version';
import {
	addUser,
	eightHours,
	freshIp,
	later,
	password,
	sessionPolicy,
	sessionRow,
	sha256,
	t0
} from './auth-fixtures';
import { databaseKinds, type TestDatabase } from './databases';

const hour = 60 * 60_000;

/** Scopes compare as sets: the order of ids is not part of the answer. */
const sorted = (scope: Scope): Scope => ({
	all: scope.all,
	communityIds: [...scope.communityIds].sort(),
	compoundIds: [...scope.compoundIds].sort(),
	gridIds: [...scope.gridIds].sort()
});
const scopeOf = (ids: Omit<Scope, 'all'>) => sorted({ all: false, ...ids });

describe.each(databaseKinds)('auth: sessions and scope on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	beforeAll(async () => {
		database = await open();
		db = database.db;
	});
	afterAll(async () => {
		await database.drop();
	});

	/** Logs the user in at `now` and returns the cookie token. */
	const signIn = async (username: string, now = t0) =>
		(await login(db, { username, password, ip: freshIp() }, sessionPolicy, now)).token;

	describe('sessions', () => {
		it('gives the person behind a token, with role and where they may act', async () => {
			const user = await addUser(db, { role: 'admin', displayName: 'Li Na' });
			const token = await signIn(user.username);
			const session = await validateSession(db, token, sessionPolicy, later(hour));
			expect(session).toEqual({
				sessionId: sha256(token),
				renewedUntil: undefined,
				user: {
					id: user.id,
					username: user.username,
					displayName: 'Li Na',
					role: 'admin',
					teamId: null,
					scope: { all: true, communityIds: [], compoundIds: [], gridIds: [] }
				}
			});
		});

		it('knows no session for a token it never issued', async () => {
			const user = await addUser(db);
			const token = await signIn(user.username);
			expect(await validateSession(db, `${token}x`, sessionPolicy, t0)).toBeNull();
			expect(await validateSession(db, sha256(token), sessionPolicy, t0)).toBeNull();
		});

		it('ends a session when it expires', async () => {
			const user = await addUser(db);
			const token = await signIn(user.username);
			const { expiresAt } = await sessionRow(db, sha256(token));
			expect(await validateSession(db, token, sessionPolicy, later(hour))).not.toBeNull();
			expect(await validateSession(db, token, sessionPolicy, expiresAt)).toBeNull();
			expect(await validateSession(db, token, sessionPolicy, later(hour, expiresAt))).toBeNull();
		});

		it('ends a revoked session and leaves the user’s other sessions open', async () => {
			const user = await addUser(db);
			const phone = await signIn(user.username);
			const laptop = await signIn(user.username);
			const session = await validateSession(db, phone, sessionPolicy, t0);
			await revokeSession(db, session!.sessionId, later(hour));

			expect(await validateSession(db, phone, sessionPolicy, later(hour))).toBeNull();
			expect((await sessionRow(db, sha256(phone))).revokedAt).toEqual(later(hour));
			expect(await validateSession(db, laptop, sessionPolicy, later(hour))).not.toBeNull();
		});

		it('ends every session of a user at once, and nobody else’s', async () => {
			const user = await addUser(db);
			const colleague = await addUser(db);
			const tokens = [await signIn(user.username), await signIn(user.username)];
			const colleagueToken = await signIn(colleague.username);

			await revokeUserSessions(db, user.id, later(hour));
			for (const token of tokens)
				expect(await validateSession(db, token, sessionPolicy, later(hour))).toBeNull();
			expect(await validateSession(db, colleagueToken, sessionPolicy, later(hour))).not.toBeNull();
			// A new login after the revocation works as usual.
			const again = await signIn(user.username, later(2 * hour));
			expect(await validateSession(db, again, sessionPolicy, later(2 * hour))).not.toBeNull();
		});

		it('extends a session in use once more than half its life has passed', async () => {
			const user = await addUser(db);
			const token = await signIn(user.username);
			const originalExpiry = later(eightHours);

			const early = await validateSession(db, token, sessionPolicy, later(3 * hour));
			expect(early?.renewedUntil).toBeUndefined();
			expect((await sessionRow(db, sha256(token))).expiresAt).toEqual(originalExpiry);

			const lateInUse = later(5 * hour);
			const renewed = await validateSession(db, token, sessionPolicy, lateInUse);
			expect(renewed?.renewedUntil).toEqual(later(eightHours, lateInUse));
			const row = await sessionRow(db, sha256(token));
			expect(row.expiresAt).toEqual(renewed?.renewedUntil);
			expect(row.lastSeenAt).toEqual(lateInUse);

			// Still valid past the original expiry.
			expect(await validateSession(db, token, sessionPolicy, later(eightHours + hour))).not.toBeNull();
		});

		it('ends the sessions of a user who is deactivated or deleted', async () => {
			const deactivated = await addUser(db);
			const deleted = await addUser(db);
			const deactivatedToken = await signIn(deactivated.username);
			const deletedToken = await signIn(deleted.username);

			await db.update(users).set({ active: false }).where(eq(users.id, deactivated.id));
			await db
				.update(users)
				.set({ deletedAt: later(hour) })
				.where(eq(users.id, deleted.id));
			expect(await validateSession(db, deactivatedToken, sessionPolicy, later(hour))).toBeNull();
			expect(await validateSession(db, deletedToken, sessionPolicy, later(hour))).toBeNull();
		});
	});

	describe('scope', () => {
		// Two communities: north (two compounds, two grids) and south (one compound, one grid).
		const north = randomUUID();
		const south = randomUUID();
		const [northA, northB, southA] = [randomUUID(), randomUUID(), randomUUID()];
		const [gridNorthA, gridNorthB, gridSouth] = [randomUUID(), randomUUID(), randomUUID()];
		const northTeam = randomUUID();
		const leaderId = randomUUID();

		const square = {
			type: 'Polygon' as const,
			coordinates: [
				[
					[121.4, 31.2],
					[121.41, 31.2],
					[121.41, 31.21],
					[121.4, 31.2]
				] as [number, number][]
			]
		};

		beforeAll(async () => {
			const v = await nextVersion(db);
			await db.insert(communities).values([
				{ id: north, name: 'North', code: `N-${north.slice(0, 6)}`, syncVersion: v },
				{ id: south, name: 'South', code: `S-${south.slice(0, 6)}`, syncVersion: v }
			]);
			const centroid = { lat: 31.2, lng: 121.4 };
			await db.insert(compounds).values([
				{ id: northA, communityId: north, name: 'North A', centroid, syncVersion: v },
				{ id: northB, communityId: north, name: 'North B', centroid, syncVersion: v },
				{ id: southA, communityId: south, name: 'South A', centroid, syncVersion: v }
			]);
			await db.insert(grids).values([
				{
					id: gridNorthA,
					communityId: north,
					compoundIds: [northA],
					name: 'Grid N-A',
					boundary: square,
					leaderUserId: leaderId,
					syncVersion: v
				},
				{
					id: gridNorthB,
					communityId: north,
					compoundIds: [northB],
					name: 'Grid N-B',
					boundary: square,
					syncVersion: v
				},
				{
					id: gridSouth,
					communityId: south,
					compoundIds: [southA],
					name: 'Grid S',
					boundary: square,
					syncVersion: v
				}
			]);
			await db
				.insert(teams)
				.values({ id: northTeam, name: 'North team', communityIds: [north], syncVersion: v });
		});

		it('lets an admin act everywhere', async () => {
			const admin = await addUser(db, { role: 'admin' });
			expect((await resolveScope(db, admin)).all).toBe(true);
		});

		it('gives a coordinator the compounds and grids of their communities and nothing of another', async () => {
			const coordinator = await addUser(db, { role: 'coordinator', communityIds: [north] });
			expect(sorted(await resolveScope(db, coordinator))).toEqual(
				scopeOf({ communityIds: [north], compoundIds: [northA, northB], gridIds: [gridNorthA, gridNorthB] })
			);
		});

		it('gives a grid leader the grids they lead, with those grids’ compounds and communities', async () => {
			const leader = await addUser(db, { id: leaderId, role: 'grid_leader' });
			expect(sorted(await resolveScope(db, leader))).toEqual(
				scopeOf({ communityIds: [north], compoundIds: [northA], gridIds: [gridNorthA] })
			);
		});

		it('gives a grid leader the grids assigned to them on their account as well', async () => {
			const leader = await addUser(db, { role: 'grid_leader', gridIds: [gridSouth] });
			expect(sorted(await resolveScope(db, leader))).toEqual(
				scopeOf({ communityIds: [south], compoundIds: [southA], gridIds: [gridSouth] })
			);
		});

		it('gives a volunteer the compounds of their team’s communities', async () => {
			const volunteer = await addUser(db, { role: 'volunteer', teamId: northTeam });
			expect(sorted(await resolveScope(db, volunteer))).toEqual(
				scopeOf({ communityIds: [north], compoundIds: [northA, northB], gridIds: [] })
			);
		});

		it('gives someone with no communities nowhere to act', async () => {
			const coordinator = await addUser(db, { role: 'coordinator' });
			const volunteer = await addUser(db, { role: 'volunteer' });
			const empty = scopeOf({ communityIds: [], compoundIds: [], gridIds: [] });
			expect(await resolveScope(db, coordinator)).toEqual(empty);
			expect(await resolveScope(db, volunteer)).toEqual(empty);
		});

		it('carries the resolved scope on the session', async () => {
			const volunteer = await addUser(db, { role: 'volunteer', teamId: northTeam });
			const token = await signIn(volunteer.username);
			const session = await validateSession(db, token, sessionPolicy, t0);
			expect(session?.user.role).toBe('volunteer');
			expect(session?.user.teamId).toBe(northTeam);
			expect(sorted(session!.user.scope)).toEqual(
				scopeOf({ communityIds: [north], compoundIds: [northA, northB], gridIds: [] })
			);
		});
	});
});
