import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user as userSchema } from '$lib/domain';
import type { Db } from '$lib/server/db';
import { checklistTemplates, feedback, observations } from '$lib/server/db/schema';
import { nextVersion } from '$lib/server/db/version';
import { caseIdFor } from '$lib/server/sync/caseOpening';
import { databaseKinds, type TestDatabase } from './databases';
import { applyChanges, changesOf, freshCopy, idsIn, puller } from './pull-fixtures';
import {
	create,
	device,
	feedbackIn,
	observationIn,
	seedDistrict,
	transition,
	visitIn,
	type District,
	type Person
} from './sync-fixtures';

const sorted = (ids: string[]) => [...ids].sort();

describe.each(databaseKinds)('sync pull: who sees what on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	/** The records written, by name. */
	const r = {} as Record<
		'o1' | 'oOwn' | 'f1' | 'f2' | 'v1' | 'o2' | 'o3' | 'cO1' | 'cF1' | 'cF2' | 'cV1' | 'cO2' | 'cO3',
		string
	>;

	/** The coordinator's steps that take a case from reported to closed, with `assignee` doing the work. */
	const stepsToClosed = (caseId: string, assignee: Person) => [
		transition(caseId, 'reported', 'triaged'),
		transition(caseId, 'triaged', 'assigned', { assigneeId: d.users[assignee].id }),
		transition(caseId, 'assigned', 'in_progress'),
		transition(caseId, 'in_progress', 'resolved', { resolution: 'Cars moved, lane painted' }),
		transition(caseId, 'resolved', 'closed', { satisfaction: 5 })
	];

	async function asCoordinator(...mutations: ReturnType<typeof transition>[]) {
		const { results } = await device(db, d.actors.coordinator).push(...mutations);
		expect(results.map((result) => result.status)).toEqual(mutations.map(() => 'applied'));
	}

	const copyOf = (person: Person) => freshCopy(db, d.actors[person]);

	beforeAll(async () => {
		database = await open();
		db = database.db;
		d = await seedDistrict(db);
		const o1 = observationIn(d);
		const oOwn = observationIn(d, { resolvedOnSpot: true });
		const f1 = feedbackIn(d, { by: d.users.volunteer.id });
		const f2 = feedbackIn(d);
		const v1 = visitIn(d);
		const o2 = observationIn(d, { compoundId: d.compounds.nB, buildingId: d.buildings.bNB });
		const o3 = observationIn(d, { compoundId: d.compounds.sA, buildingId: d.buildings.bSA });
		const pushes = [
			device(db, d.actors.volunteer).push(
				create('observation', o1),
				create('observation', oOwn),
				create('feedback', f1)
			),
			device(db, d.actors.leader).push(create('feedback', f2), create('visit', v1)),
			device(db, d.actors.otherLeader).push(create('observation', o2)),
			device(db, d.actors.southVolunteer).push(create('observation', o3))
		];
		for (const { results } of await Promise.all(pushes)) {
			expect(results.every((result) => result.status === 'applied')).toBe(true);
		}
		Object.assign(r, {
			o1: o1.id,
			oOwn: oOwn.id,
			f1: f1.id,
			f2: f2.id,
			v1: v1.id,
			o2: o2.id,
			o3: o3.id,
			cO1: caseIdFor('observation', o1.id),
			cF1: caseIdFor('feedback', f1.id),
			cF2: caseIdFor('feedback', f2.id),
			cV1: caseIdFor('visit', v1.id),
			cO2: caseIdFor('observation', o2.id),
			cO3: caseIdFor('observation', o3.id)
		});
		await asCoordinator(...stepsToClosed(r.cO2, 'otherLeader'));
	});
	afterAll(async () => {
		await database.drop();
	});

	/** The case ids a copy's events belong to, without repeats. */
	const eventCases = (copy: Map<string, Record<string, unknown>>) =>
		sorted([
			...new Set(
				[...copy.entries()]
					.filter(([key]) => key.startsWith('caseEvent:'))
					.map(([, event]) => event.caseId as string)
			)
		]);

	describe('field records and cases', () => {
		it('shows a volunteer their own records and the open cases of their team’s compounds, not closed ones', async () => {
			const copy = await copyOf('volunteer');
			expect(idsIn(copy, 'observation')).toEqual(sorted([r.o1, r.oOwn]));
			expect(idsIn(copy, 'feedback')).toEqual([r.f1]);
			expect(idsIn(copy, 'visit')).toEqual([]);
			expect(idsIn(copy, 'case')).toEqual(sorted([r.cO1, r.cF1, r.cF2, r.cV1]));
			expect(eventCases(copy)).toEqual(sorted([r.cO1, r.cF1, r.cF2, r.cV1]));
		});

		it('shows a volunteer of another team none of a compound’s records', async () => {
			const copy = await copyOf('southVolunteer');
			expect(idsIn(copy, 'observation')).toEqual([r.o3]);
			expect(idsIn(copy, 'feedback')).toEqual([]);
			expect(idsIn(copy, 'case')).toEqual([r.cO3]);
			expect(eventCases(copy)).toEqual([r.cO3]);
		});

		it('shows a grid leader everything in their grids and nothing of the next grid', async () => {
			const copy = await copyOf('leader');
			expect(idsIn(copy, 'observation')).toEqual(sorted([r.o1, r.oOwn]));
			expect(idsIn(copy, 'feedback')).toEqual(sorted([r.f1, r.f2]));
			expect(idsIn(copy, 'visit')).toEqual([r.v1]);
			expect(idsIn(copy, 'case')).toEqual(sorted([r.cO1, r.cF1, r.cF2, r.cV1]));

			const next = await copyOf('otherLeader');
			expect(idsIn(next, 'observation')).toEqual([r.o2]);
			expect(idsIn(next, 'feedback')).toEqual([]);
			// Closed cases stay in view of those who work on them.
			expect(idsIn(next, 'case')).toEqual([r.cO2]);
			expect(eventCases(next)).toEqual([r.cO2]);
		});

		it('shows a coordinator everything in their communities and nothing beyond', async () => {
			const copy = await copyOf('coordinator');
			expect(idsIn(copy, 'observation')).toEqual(sorted([r.o1, r.oOwn, r.o2]));
			expect(idsIn(copy, 'feedback')).toEqual(sorted([r.f1, r.f2]));
			expect(idsIn(copy, 'visit')).toEqual([r.v1]);
			expect(idsIn(copy, 'case')).toEqual(sorted([r.cO1, r.cF1, r.cF2, r.cV1, r.cO2]));

			const south = await copyOf('southCoordinator');
			expect(idsIn(south, 'observation')).toEqual([r.o3]);
			expect(idsIn(south, 'case')).toEqual([r.cO3]);
		});

		it('shows an admin everything', async () => {
			const copy = await copyOf('admin');
			expect(idsIn(copy, 'observation')).toEqual(sorted([r.o1, r.oOwn, r.o2, r.o3]));
			expect(idsIn(copy, 'case')).toEqual(sorted([r.cO1, r.cF1, r.cF2, r.cV1, r.cO2, r.cO3]));
		});
	});

	describe('resident details', () => {
		const resident = { name: '张三', phone: '13812345678', unit: '2-401' };
		const masked = { name: '张*', phone: '138****5678', unit: '2-401' };
		const residentOf = async (person: Person, id: string) =>
			(await copyOf(person)).get(`feedback:${id}`)?.resident;

		it('masks them for a volunteer, even on the feedback they recorded themselves', async () => {
			expect(await residentOf('volunteer', r.f1)).toEqual(masked);
		});

		it('shows them to the grid leader and the coordinator of the place', async () => {
			expect(await residentOf('leader', r.f1)).toEqual(resident);
			expect(await residentOf('leader', r.f2)).toEqual(resident);
			expect(await residentOf('coordinator', r.f2)).toEqual(resident);
		});

		it('masks them for a grid leader on their own feedback outside their grids', async () => {
			// Recorded before the grid changed hands: still theirs, no longer their grid.
			const id = randomUUID();
			await db.insert(feedback).values({
				...feedbackIn(d, { id, by: d.users.otherLeader.id }),
				receivedAt: new Date('2030-03-01T08:00:00Z'),
				communityId: d.communities.north,
				compoundId: d.compounds.nA,
				gridId: d.grids.gNA,
				syncVersion: await nextVersion(db)
			});
			expect(await residentOf('otherLeader', id)).toEqual(masked);
			expect(await residentOf('leader', id)).toEqual(resident);
		});
	});

	describe('reference data', () => {
		const refs = async (person: Person) => {
			const copy = await copyOf(person);
			return {
				community: idsIn(copy, 'community'),
				compound: idsIn(copy, 'compound'),
				grid: idsIn(copy, 'grid'),
				building: idsIn(copy, 'building'),
				team: idsIn(copy, 'team')
			};
		};

		it('gives each person the places of their scope', async () => {
			const { communities: c, compounds: k, grids: g, buildings: b, teams } = d;
			expect(await refs('volunteer')).toEqual({
				community: [c.north],
				compound: sorted([k.nA, k.nB]),
				grid: sorted([g.gNA, g.gNB]),
				building: sorted([b.bNA, b.bNB]),
				team: [teams.north]
			});
			expect(await refs('leader')).toEqual({
				community: [c.north],
				compound: [k.nA],
				grid: [g.gNA],
				building: [b.bNA],
				team: [teams.north]
			});
			expect(await refs('southCoordinator')).toEqual({
				community: [c.south],
				compound: [k.sA],
				grid: [g.gSA],
				building: [b.bSA],
				team: [teams.south]
			});
			expect(await refs('admin')).toEqual({
				community: sorted(Object.values(c)),
				compound: sorted(Object.values(k)),
				grid: sorted(Object.values(g)),
				building: sorted(Object.values(b)),
				team: sorted(Object.values(teams))
			});
		});

		it('gives the public fields of the people of one’s communities, never a password hash', async () => {
			const copy = await copyOf('volunteer');
			const north: Person[] = ['volunteer', 'leader', 'otherLeader', 'coordinator', 'retiredCoordinator'];
			expect(idsIn(copy, 'user')).toEqual(sorted(north.map((person) => d.users[person].id)));
			for (const [key, record] of copy) {
				if (!key.startsWith('user:')) continue;
				expect(Object.keys(record).sort()).toEqual(Object.keys(userSchema.shape).sort());
				expect(JSON.stringify(record)).not.toContain('not-a-password-hash');
			}
			expect(idsIn(await copyOf('admin'), 'user')).toEqual(
				sorted(Object.values(d.users).map((user) => user.id))
			);
		});

		it('gives everyone the checklist templates', async () => {
			const templateId = randomUUID();
			await db.insert(checklistTemplates).values({
				id: templateId,
				version: 1,
				title: { zh: '晚间停车巡查', en: 'Evening parking patrol' },
				items: [
					{ key: 'fire_lane', label: { zh: '消防通道', en: 'Fire lane' }, type: 'yes_no', required: true }
				],
				syncVersion: await nextVersion(db)
			});
			for (const person of ['volunteer', 'southLeader', 'coordinator'] as Person[]) {
				expect(idsIn(await copyOf(person), 'checklistTemplate')).toEqual([templateId]);
			}
		});
	});

	describe('records that leave a person’s view', () => {
		it('sends a closed case, and the events that go with it, as del to a volunteer who had them', async () => {
			const [triage, ...rest] = stepsToClosed(r.cO1, 'leader');
			await asCoordinator(triage);
			const phone = puller(db, d.actors.volunteer);
			const copy = applyChanges(changesOf(await phone.catchUp()));
			const eventsOfCase = () => [...copy.values()].filter((record) => record.caseId === r.cO1);
			expect(idsIn(copy, 'case')).toContain(r.cO1);
			expect(eventsOfCase().some((event) => event.by === d.users.coordinator.id)).toBe(true);

			await asCoordinator(...rest);
			const changes = changesOf(await phone.catchUp());
			expect(changes).toContainEqual(expect.objectContaining({ collection: 'case', id: r.cO1, op: 'del' }));
			applyChanges(changes, copy);
			expect(idsIn(copy, 'case')).not.toContain(r.cO1);
			// What stays is the volunteer's own: the observation and the report it opened the case with.
			expect(idsIn(copy, 'observation')).toContain(r.o1);
			expect(eventsOfCase().map((event) => event.by)).toEqual([d.users.volunteer.id]);
			expect(copy).toEqual(await copyOf('volunteer'));
		});

		it('sends a record that moved to another grid as del to the grid it left and put to the one it joined', async () => {
			const here = puller(db, d.actors.leader);
			const there = puller(db, d.actors.otherLeader);
			const hereCopy = applyChanges(changesOf(await here.catchUp()));
			const thereCopy = applyChanges(changesOf(await there.catchUp()));
			expect(idsIn(hereCopy, 'observation')).toContain(r.oOwn);

			await db
				.update(observations)
				.set({
					compoundId: d.compounds.nB,
					gridId: d.grids.gNB,
					buildingId: d.buildings.bNB,
					syncVersion: await nextVersion(db)
				})
				.where(eq(observations.id, r.oOwn));

			const left = changesOf(await here.catchUp());
			expect(left).toEqual([expect.objectContaining({ collection: 'observation', id: r.oOwn, op: 'del' })]);
			const joined = changesOf(await there.catchUp());
			expect(joined).toEqual([expect.objectContaining({ collection: 'observation', id: r.oOwn, op: 'put' })]);
			expect(applyChanges(left, hereCopy)).toEqual(await copyOf('leader'));
			expect(applyChanges(joined, thereCopy)).toEqual(await copyOf('otherLeader'));
		});
	});
});
