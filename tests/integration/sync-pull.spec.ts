import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveScope } from '$lib/server/auth/scope';
import type { Db } from '$lib/server/db';
import { communities, grids, observations, syncClients, users } from '$lib/server/db/schema';
import { nextVersion } from '$lib/server/db/version';
import { pullPage } from '$lib/server/sync/pull';
import { purgeTombstones } from '$lib/server/sync/tombstones';
import { protocolVersion, schemaVersion, type MutationResult, type PullResponse } from '$lib/sync/protocol';
import { refusal } from './auth-fixtures';
import { databaseKinds, type TestDatabase } from './databases';
import { applyChanges, changesOf, freshCopy, idsIn, puller } from './pull-fixtures';
import {
	create,
	device,
	feedbackIn,
	observationIn,
	remove,
	seedDistrict,
	visitIn,
	type District
} from './sync-fixtures';

const versionsOf = (pages: PullResponse[]) => changesOf(pages).map((change) => change.version);
const day = 86_400_000;

/** The version an applied mutation wrote at. */
function appliedVersion(result: MutationResult): number {
	if (result.status !== 'applied' || result.version === undefined)
		throw new Error(`not applied: ${JSON.stringify(result)}`);
	return result.version;
}

/** Opens a fresh database with a district for each suite: purges and cursors must not leak between them. */
function withDistrict(open: () => Promise<TestDatabase>) {
	const env = {} as { database: TestDatabase; db: Db; d: District };
	beforeAll(async () => {
		env.database = await open();
		env.db = env.database.db;
		env.d = await seedDistrict(env.db);
	});
	afterAll(async () => {
		await env.database.drop();
	});
	return env;
}

/** A few records from each person, each push applied. */
async function writeRecords(db: Db, d: District, count: number) {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const observation = observationIn(d, { resolvedOnSpot: i % 2 === 0, note: `round ${i}` });
		const visit = visitIn(d, { needsFollowUp: i % 3 === 0 });
		const { results } = await device(db, d.actors.volunteer).push(create('observation', observation));
		const more = await device(db, d.actors.leader).push(
			create('visit', visit),
			create('feedback', feedbackIn(d))
		);
		expect([...results, ...more.results].every((result) => result.status === 'applied')).toBe(true);
		ids.push(observation.id);
	}
	return ids;
}

describe.each(databaseKinds)('sync pull: pages and cursors on $kind', ({ open }) => {
	const env = withDistrict(open);

	it('pages through every change in version order; the pages together are one big pull', async () => {
		const { db, d } = env;
		await writeRecords(db, d, 6);
		const whole = await puller(db, d.actors.admin).page(1000);
		expect(whole.hasMore).toBe(false);
		expect(whole.changes.length).toBeGreaterThan(40);

		const paged = puller(db, d.actors.admin);
		const pages = await paged.catchUp(7);
		expect(pages.length).toBeGreaterThan(5);
		for (const page of pages) {
			expect(page.changes.length).toBeLessThanOrEqual(7);
			expect(page.cursor).toBe(String(page.changes.at(-1)!.version));
			expect(page.reset).toBe(false);
		}
		expect(pages.map((page) => page.hasMore)).toEqual([...Array(pages.length - 1).fill(true), false]);
		const versions = versionsOf(pages);
		expect(versions).toEqual([...versions].sort((a, b) => a - b));
		expect(changesOf(pages)).toEqual(whole.changes);
		expect(paged.cursor).toBe(whole.cursor);

		const after = await paged.page(7);
		expect(after).toMatchObject({ changes: [], hasMore: false, cursor: whole.cursor, reset: false });
	});

	it('ends a page between versions, so rows written at one version arrive together', async () => {
		const { db, d } = env;
		const admin = puller(db, d.actors.admin);
		await admin.catchUp();
		const community = async (syncVersion: number) => {
			const id = randomUUID();
			await db.insert(communities).values({ id, name: 'new', code: `c-${id}`, syncVersion });
			return syncVersion;
		};
		const a = await community(await nextVersion(db));
		const together = await nextVersion(db);
		for (let i = 0; i < 3; i++) await community(together);
		const c = await community(await nextVersion(db));

		const first = await admin.page(2);
		expect(versionsOf([first])).toEqual([a]);
		expect(first).toMatchObject({ hasMore: true, cursor: String(a) });
		// Three rows at one version do not fit a page of two: they come whole rather than split.
		const second = await admin.page(2);
		expect(versionsOf([second])).toEqual([together, together, together]);
		expect(second).toMatchObject({ hasMore: true, cursor: String(together) });
		const third = await admin.page(2);
		expect(versionsOf([third])).toEqual([c]);
		expect(third.hasMore).toBe(false);
	});

	it('sends a deletion as del to a device that held the record, and nothing to a new device', async () => {
		const { db, d } = env;
		const phone = device(db, d.actors.volunteer);
		const observation = observationIn(d, { resolvedOnSpot: true });
		await phone.push(create('observation', observation));
		const pulling = puller(db, d.actors.volunteer);
		const copy = applyChanges(changesOf(await pulling.catchUp()));
		expect(idsIn(copy, 'observation')).toContain(observation.id);

		const { results } = await phone.push(remove('observation', observation.id));
		expect(results[0].status).toBe('applied');
		const changes = changesOf(await pulling.catchUp());
		expect(changes).toEqual([
			{ collection: 'observation', id: observation.id, op: 'del', version: appliedVersion(results[0]) }
		]);
		expect(applyChanges(changes, copy)).toEqual(await freshCopy(db, d.actors.volunteer));
		expect(idsIn(copy, 'observation')).not.toContain(observation.id);
	});

	it('sends only puts while a device loads from scratch, whatever it may not see', async () => {
		const { db, d } = env;
		const pages = await puller(db, d.actors.volunteer).catchUp(3);
		expect(pages.length).toBeGreaterThan(3);
		expect(changesOf(pages).every((change) => change.op === 'put')).toBe(true);
	});

	it('gives the last mutation id of each of the person’s clients in the group', async () => {
		const { db, d } = env;
		const phone = device(db, d.actors.volunteer);
		await phone.push(
			...[1, 2, 3].map(() => create('observation', observationIn(d, { resolvedOnSpot: true })))
		);
		const tablet = `client-${randomUUID()}`;
		await db.insert(syncClients).values([
			{
				clientId: tablet,
				clientGroupId: phone.clientGroupId,
				userId: d.users.volunteer.id,
				lastMutationId: 7
			},
			// Someone else's client naming the same group learns nothing and shows nowhere.
			{
				clientId: `client-${randomUUID()}`,
				clientGroupId: phone.clientGroupId,
				userId: d.users.leader.id,
				lastMutationId: 9
			}
		]);
		const first = await puller(db, d.actors.volunteer, phone.clientGroupId).page(5);
		expect(first.lastMutationIds).toEqual({ [phone.clientId]: 3, [tablet]: 7 });
		expect((await puller(db, d.actors.volunteer).page(5)).lastMutationIds).toEqual({});
	});

	it('answers other protocol or schema versions with 409 VERSION_NOT_SUPPORTED', async () => {
		const { db, d } = env;
		const ask = (versions: { protocolVersion: number; schemaVersion: number }) =>
			pullPage(db, d.actors.volunteer, {
				...versions,
				clientGroupId: `group-${randomUUID()}`,
				cursor: null,
				limit: 10
			});
		for (const versions of [
			{ protocolVersion: protocolVersion + 1, schemaVersion },
			{ protocolVersion, schemaVersion: schemaVersion + 1 }
		]) {
			const error = await refusal(ask(versions));
			expect(error.status).toBe(409);
			const body = await error.toResponse('en').json();
			expect(body).toMatchObject({ error: 'VERSION_NOT_SUPPORTED', code: 'VERSION_NOT_SUPPORTED' });
			expect(body.message).toMatch(/update/i);
		}
	});
});

describe.each(databaseKinds)('sync pull: resets on $kind', ({ open }) => {
	const env = withDistrict(open);

	it('resets a device whose cursor is older than purged tombstones, and lets its reload run to the end', async () => {
		const { db, d } = env;
		const ids = await writeRecords(db, d, 4);
		const behind = puller(db, d.actors.volunteer);
		const lost = puller(db, d.actors.volunteer);
		await behind.catchUp();
		await lost.catchUp();
		const staleCursor = behind.cursor;

		const { results } = await device(db, d.actors.volunteer).push(remove('observation', ids[0]));
		const upToDate = puller(db, d.actors.volunteer);
		await upToDate.catchUp();

		const purge = await purgeTombstones(db, 90, new Date(Date.now() + 91 * day));
		expect(purge).toEqual({ purged: 1, horizon: appliedVersion(results[0]) });
		expect(await db.select().from(observations).where(eq(observations.id, ids[0]))).toEqual([]);

		const first = await behind.page(2);
		expect(first.reset).toBe(true);
		expect(first.changes).toEqual((await puller(db, d.actors.volunteer).page(2)).changes);
		// Mid-reload its cursor is behind the horizon, yet the reload goes on without another reset.
		expect(Number(behind.cursor)).toBeLessThan(purge.horizon);
		const rest = await behind.catchUp(2);
		expect(rest.every((page) => !page.reset)).toBe(true);
		expect(applyChanges(changesOf([first, ...rest]))).toEqual(await freshCopy(db, d.actors.volunteer));

		expect((await upToDate.page()).reset).toBe(false);

		// A reset whose answer was lost is answered again when the stale cursor comes back.
		expect((await lost.page(2)).reset).toBe(true);
		expect((await lost.page(2, staleCursor)).reset).toBe(true);
		expect((await lost.page(2)).reset).toBe(false);
	});

	it('resets a device when the person’s scope changed since its last pull', async () => {
		const { db, d } = env;
		const { results } = await device(db, d.actors.leader).push(create('feedback', feedbackIn(d)));
		expect(results[0].status).toBe('applied');
		const leader = puller(db, d.actors.leader);
		const before = applyChanges(changesOf(await leader.catchUp()));
		expect(idsIn(before, 'grid')).toEqual([d.grids.gNA]);

		// The leader hands grid gNA over and takes gNB.
		await db
			.update(grids)
			.set({ leaderUserId: null, syncVersion: await nextVersion(db) })
			.where(eq(grids.id, d.grids.gNA));
		await db
			.update(grids)
			.set({ leaderUserId: d.users.leader.id, syncVersion: await nextVersion(db) })
			.where(eq(grids.id, d.grids.gNB));
		const [moved] = await db
			.update(users)
			.set({ gridIds: [d.grids.gNB], syncVersion: await nextVersion(db) })
			.where(eq(users.id, d.users.leader.id))
			.returning();
		leader.actor = { ...leader.actor, scope: await resolveScope(db, moved) };

		const pages = await leader.catchUp();
		expect(pages[0].reset).toBe(true);
		expect(pages.slice(1).every((page) => !page.reset)).toBe(true);
		const after = applyChanges(changesOf(pages));
		expect(idsIn(after, 'grid')).toEqual([d.grids.gNB]);
		expect(idsIn(after, 'building')).toEqual([d.buildings.bNB]);
		expect(after).toEqual(await freshCopy(db, leader.actor));
		// Their own records from the old grid stay theirs, with the resident now masked.
		const own = [...after.values()].filter(
			(record) => record.by === d.users.leader.id && 'resident' in record
		);
		expect(own.length).toBeGreaterThan(0);
		for (const record of own) expect(JSON.stringify(record.resident)).toContain('****');
	});

	it('resets a group it has never seen that sends a cursor, and a cursor it never handed out', async () => {
		const { db, d } = env;
		const stranger = puller(db, d.actors.coordinator);
		expect((await stranger.page(5, '1')).reset).toBe(true);

		const known = puller(db, d.actors.coordinator);
		await known.catchUp();
		const ahead = await known.page(5, String(Number(known.cursor) + 1000));
		expect(ahead.reset).toBe(true);
		expect(ahead.changes.every((change) => change.op === 'put')).toBe(true);
	});

	it('resets a group’s first owner after another person pulled with it', async () => {
		const { db, d } = env;
		const shared = `group-${randomUUID()}`;
		const mine = puller(db, d.actors.coordinator, shared);
		await mine.catchUp();
		await puller(db, d.actors.southCoordinator, shared).catchUp();
		// The group now belongs to the other person's copy: the first owner reloads rather than mixing scopes.
		expect((await mine.page()).reset).toBe(true);
	});
});
