import { createHash, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Actor, Feedback, Observation, Patrol, Polygon, Survey, Visit } from '$lib/domain';
import type { Locale } from '$lib/i18n';
import { resolveScope } from '$lib/server/auth/scope';
import type { Db } from '$lib/server/db';
import * as t from '$lib/server/db/schema';
import { nextVersion } from '$lib/server/db/version';
import { pushMutations, type PushBody } from '$lib/server/sync/push';
import { protocolVersion, schemaVersion, type PushResponse } from '$lib/sync/protocol';

/**
 * A small district for the sync suites: two communities (north, south), three compounds, a grid and a
 * building in each, a volunteer team per community and people of every role.
 *
 *   north ─ compound nA ─ grid gNA (leader) ─ building bNA
 *         └ compound nB ─ grid gNB (otherLeader) ─ building bNB
 *   south ─ compound sA ─ grid gSA (southLeader) ─ building bSA
 */
export interface District {
	communities: { north: string; south: string };
	compounds: { nA: string; nB: string; sA: string };
	grids: { gNA: string; gNB: string; gSA: string };
	buildings: { bNA: string; bNB: string; bSA: string };
	teams: { north: string; south: string };
	users: Record<Person, typeof t.users.$inferSelect>;
	actors: Record<Person, Actor>;
}

export type Person =
	| 'volunteer'
	| 'leader'
	| 'otherLeader'
	| 'coordinator'
	| 'admin'
	| 'southVolunteer'
	| 'southLeader'
	| 'southCoordinator'
	| 'retiredCoordinator';

export const square = (lng: number, lat: number, size = 0.001): Polygon => ({
	type: 'Polygon',
	coordinates: [
		[
			[lng, lat],
			[lng + size, lat],
			[lng + size, lat + size],
			[lng, lat + size],
			[lng, lat]
		]
	]
});

const point = { lat: 33.63, lng: 116.98 };

/** Writes a fresh district (new ids every call, so several live side by side in one database). */
export async function seedDistrict(db: Db): Promise<District> {
	const id = () => randomUUID();
	const v = () => nextVersion(db);
	const communities = { north: id(), south: id() };
	const compounds = { nA: id(), nB: id(), sA: id() };
	const grids = { gNA: id(), gNB: id(), gSA: id() };
	const buildings = { bNA: id(), bNB: id(), bSA: id() };
	const teams = { north: id(), south: id() };
	const userIds = {
		volunteer: id(),
		leader: id(),
		otherLeader: id(),
		coordinator: id(),
		admin: id(),
		southVolunteer: id(),
		southLeader: id(),
		southCoordinator: id(),
		retiredCoordinator: id()
	} satisfies Record<Person, string>;

	for (const [name, communityId] of Object.entries(communities)) {
		await db
			.insert(t.communities)
			.values({ id: communityId, name, code: `c-${communityId}`, syncVersion: await v() });
	}
	const compoundIn: Record<keyof typeof compounds, string> = {
		nA: communities.north,
		nB: communities.north,
		sA: communities.south
	};
	for (const [name, compoundId] of Object.entries(compounds) as [keyof typeof compounds, string][]) {
		await db.insert(t.compounds).values({
			id: compoundId,
			communityId: compoundIn[name],
			name,
			centroid: point,
			syncVersion: await v()
		});
	}
	const gridPlan = [
		[grids.gNA, 'nA', buildings.bNA, userIds.leader],
		[grids.gNB, 'nB', buildings.bNB, userIds.otherLeader],
		[grids.gSA, 'sA', buildings.bSA, userIds.southLeader]
	] as const;
	for (const [gridId, compound, buildingId, leaderUserId] of gridPlan) {
		const compoundId = compounds[compound];
		const communityId = compoundIn[compound];
		await db.insert(t.grids).values({
			id: gridId,
			communityId,
			compoundIds: [compoundId],
			name: `grid ${gridId.slice(0, 4)}`,
			boundary: square(point.lng, point.lat),
			leaderUserId,
			syncVersion: await v()
		});
		await db.insert(t.buildings).values({
			id: buildingId,
			compoundId,
			gridId,
			name: '3号楼',
			point,
			syncVersion: await v()
		});
	}
	await db.insert(t.teams).values([
		{ id: teams.north, name: 'north team', communityIds: [communities.north], syncVersion: await v() },
		{ id: teams.south, name: 'south team', communityIds: [communities.south], syncVersion: await v() }
	]);

	const people: Record<Person, Partial<typeof t.users.$inferInsert>> = {
		volunteer: { role: 'volunteer', teamId: teams.north },
		leader: { role: 'grid_leader', gridIds: [grids.gNA] },
		otherLeader: { role: 'grid_leader', gridIds: [grids.gNB] },
		coordinator: { role: 'coordinator', communityIds: [communities.north] },
		admin: { role: 'admin' },
		southVolunteer: { role: 'volunteer', teamId: teams.south },
		southLeader: { role: 'grid_leader', gridIds: [grids.gSA] },
		southCoordinator: { role: 'coordinator', communityIds: [communities.south] },
		retiredCoordinator: { role: 'coordinator', communityIds: [communities.north], active: false }
	};
	const users = {} as District['users'];
	const actors = {} as District['actors'];
	for (const [person, fields] of Object.entries(people) as [Person, typeof people.admin][]) {
		const [user] = await db
			.insert(t.users)
			.values({
				id: userIds[person],
				username: `${person.toLowerCase()}-${userIds[person].slice(0, 8)}`,
				displayName: person,
				role: 'volunteer',
				// Never used to log in: the sync suites act through `actors`.
				passwordHash: 'not-a-password-hash',
				syncVersion: await v(),
				...fields
			})
			.returning();
		users[person] = user;
		actors[person] = {
			id: user.id,
			role: user.role,
			teamId: user.teamId,
			scope: await resolveScope(db, user)
		};
	}
	return { communities, compounds, grids, buildings, teams, users, actors };
}

// ---- field records, valid as they stand; `by` is overwritten by the server anyway ----

const at = '2030-03-01T08:00:00.000Z';

export function observationIn(d: District, fields: Partial<Observation> = {}): Observation {
	return {
		id: uuidv7(),
		category: 'parking',
		subtype: 'parking.fire_lane_blocked',
		severity: 'medium',
		location: { ...point, accuracy: 8 },
		compoundId: d.compounds.nA,
		buildingId: d.buildings.bNA,
		note: 'two cars in the fire lane',
		photos: [],
		observedAt: at,
		resolvedOnSpot: false,
		by: d.users.volunteer.id,
		...fields
	};
}

export function feedbackIn(d: District, fields: Partial<Feedback> = {}): Feedback {
	return {
		id: uuidv7(),
		kind: 'complaint',
		topic: 'cleanliness',
		channel: 'in_person',
		text: 'The bins by building 3 overflow every weekend',
		resident: { name: '张三', phone: '13812345678', unit: '2-401' },
		consentToContact: true,
		compoundId: d.compounds.nA,
		buildingId: d.buildings.bNA,
		receivedAt: at,
		by: d.users.leader.id,
		...fields
	};
}

export function visitIn(d: District, fields: Partial<Visit> = {}): Visit {
	return {
		id: uuidv7(),
		gridId: d.grids.gNA,
		buildingId: d.buildings.bNA,
		unit: '2-401',
		purpose: 'elderly_care',
		summary: 'Lives alone; the stair light is out',
		residentsMet: 1,
		needsFollowUp: true,
		visitedAt: at,
		by: d.users.leader.id,
		...fields
	};
}

export function patrolIn(d: District, fields: Partial<Patrol> = {}): Patrol {
	return {
		id: uuidv7(),
		templateId: randomUUID(),
		templateVersion: 1,
		compoundId: d.compounds.nA,
		startedAt: at,
		answers: [],
		status: 'draft',
		by: d.users.volunteer.id,
		...fields
	};
}

export function surveyIn(d: District, fields: Partial<Survey> = {}): Survey {
	return {
		id: uuidv7(),
		compoundId: d.compounds.nA,
		month: '2030-03',
		scores: { cleanliness: 4, safety: 5, parking: 3, responsiveness: 4, overall: 4 },
		by: d.users.coordinator.id,
		...fields
	};
}

/** A photo as devices refer to it; `uploaded` puts its bytes' record in the blob table. */
export async function photo(db: Db, uploadedBy: string, uploaded = true) {
	const sha256 = createHash('sha256').update(randomUUID()).digest('hex');
	const ref = { sha256, mime: 'image/jpeg' as const, bytes: 1000, width: 800, height: 600 };
	if (uploaded) await db.insert(t.blobs).values({ ...ref, uploadedBy });
	return ref;
}

// ---- devices ----

export interface Mutation {
	name: string;
	args: unknown;
}

/**
 * One installed app pushing as one person: numbers its mutations 1, 2, 3 … like the outbox does.
 * `batch` makes a body without sending it, so a test can send the same body twice.
 */
export function device(db: Db, actor: Actor, locale: Locale = 'en') {
	let nextId = 1;
	const clientId = `client-${randomUUID()}`;
	const clientGroupId = `group-${randomUUID()}`;
	const self = {
		clientId,
		clientGroupId,
		actor,
		batch(mutations: Mutation[]): PushBody {
			return {
				protocolVersion,
				schemaVersion,
				clientGroupId,
				clientId,
				mutations: mutations.map((m) => ({ ...m, id: nextId++, clientTime: new Date().toISOString() }))
			};
		},
		send(body: PushBody, on: Db = db): Promise<PushResponse> {
			return pushMutations(on, { actor, requestId: `req-${randomUUID()}`, locale }, body);
		},
		push(...mutations: Mutation[]): Promise<PushResponse> {
			return self.send(self.batch(mutations));
		}
	};
	return self;
}

export const create = (collection: string, args: object): Mutation => ({
	name: `${collection}.create`,
	args
});
export const update = (collection: string, id: string, changes: object): Mutation => ({
	name: `${collection}.update`,
	args: { id, changes }
});
export const remove = (collection: string, id: string): Mutation => ({
	name: `${collection}.delete`,
	args: { id }
});
export const transition = (id: string, from: string, to: string, extra: object = {}): Mutation => ({
	name: 'case.transition',
	args: { id, from, to, ...extra }
});
