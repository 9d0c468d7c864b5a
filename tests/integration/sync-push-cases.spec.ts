import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStatus } from '$lib/domain';
import type { Db } from '$lib/server/db';
import { caseEvents, cases } from '$lib/server/db/schema';
import { caseIdFor } from '$lib/server/sync/caseOpening';
import { databaseKinds, type TestDatabase } from './databases';
import {
	create,
	device,
	observationIn,
	photo,
	seedDistrict,
	transition,
	update,
	type District,
	type Mutation,
	type Person
} from './sync-fixtures';

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const rejection = (code: string) => ({ status: 'rejected', code });
const t0 = new Date('2030-03-01T08:00:00Z');

describe.each(databaseKinds)('sync push: cases on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	beforeAll(async () => {
		database = await open();
		db = database.db;
		d = await seedDistrict(db);
	});
	afterAll(async () => {
		await database.drop();
	});

	const caseRow = async (id: string) => (await db.select().from(cases).where(eq(cases.id, id)))[0];
	const eventsOf = (id: string, kind: string) =>
		db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, id), eq(caseEvents.kind, kind)))
			.orderBy(caseEvents.syncVersion);
	const push = async (person: Person, ...mutations: Mutation[]) =>
		(await device(db, d.actors[person]).push(...mutations)).results;

	/** A case opened by a volunteer's observation in grid gNA, then moved along `path` by the coordinator. */
	async function caseAt(...path: CaseStatus[]): Promise<string> {
		const observation = observationIn(d);
		await push('volunteer', create('observation', observation));
		const id = caseIdFor('observation', observation.id);
		const needs: Partial<Record<CaseStatus, object>> = {
			assigned: { assigneeId: d.users.leader.id },
			resolved: { resolution: 'Cars moved, sign put up' },
			rejected: { reason: 'Not ours' },
			duplicate: { duplicateOf: id }
		};
		let from: CaseStatus = 'reported';
		for (const to of path) {
			const [result] = await push('coordinator', transition(id, from, to, needs[to]));
			expect(result).toMatchObject({ status: 'applied' });
			from = to;
		}
		return id;
	}

	describe('case.transition', () => {
		it('moves a case, sets its due date on triage, and writes a transition event', async () => {
			const id = await caseAt();
			const [result] = await push('leader', transition(id, 'reported', 'triaged'));
			const row = await caseRow(id);
			expect(result).toEqual({ id: 1, status: 'applied', version: row.syncVersion });
			expect(row.status).toBe('triaged');
			expect(row.dueAt!.getTime() - row.updatedAt.getTime()).toBe(72 * 3600_000);
			const [, triage] = await eventsOf(id, 'transition');
			expect(triage).toMatchObject({ from: 'reported', to: 'triaged', by: d.users.leader.id, body: null });
			expect(triage.syncVersion).toBeGreaterThan(row.syncVersion);
		});

		it('rejects a stale `from` with the case as it is now', async () => {
			const id = await caseAt('triaged');
			const [stale] = await push('leader', transition(id, 'reported', 'triaged'));
			expect(stale).toMatchObject({
				...rejection('STALE_TRANSITION'),
				current: { id, status: 'triaged', compoundId: d.compounds.nA }
			});
			expect(stale.status === 'rejected' && stale.message).toMatch(/Someone else/);
		});

		it('refuses a volunteer, and anyone out of scope, without showing the case', async () => {
			const id = await caseAt();
			for (const person of ['volunteer', 'southLeader', 'otherLeader', 'southCoordinator'] as const) {
				const [result] = await push(person, transition(id, 'reported', 'triaged'));
				expect(result).toEqual({
					id: 1,
					status: 'rejected',
					code: 'FORBIDDEN',
					message: 'You are not allowed to do this here.'
				});
			}
			expect((await caseRow(id)).status).toBe('reported');
		});

		it('refuses moves the machine does not have, and steps without what they need', async () => {
			const id = await caseAt();
			const [illegal, missing] = await push(
				'coordinator',
				transition(id, 'reported', 'closed'),
				transition(id, 'reported', 'rejected')
			);
			expect(illegal).toMatchObject({ ...rejection('ILLEGAL_TRANSITION'), current: { status: 'reported' } });
			expect(missing).toMatchObject({
				...rejection('MISSING_FIELD'),
				message: 'This step needs the reason.'
			});
			const [zh] = (
				await device(db, d.actors.coordinator, 'zh-CN').push(transition(id, 'reported', 'rejected'))
			).results;
			expect(zh.status === 'rejected' && zh.message).toBe('这一步还需要填写：原因');
		});

		it('assigns only to someone who can work the case where it sits', async () => {
			const id = await caseAt('triaged');
			const tries = ['southLeader', 'otherLeader', 'volunteer', 'retiredCoordinator'] as const;
			const refused = await push(
				'coordinator',
				...tries.map((person) => transition(id, 'triaged', 'assigned', { assigneeId: d.users[person].id })),
				transition(id, 'triaged', 'assigned', { assigneeId: randomUUID() })
			);
			for (const result of refused) {
				expect(result).toMatchObject({
					...rejection('INVALID_FIELD'),
					message: 'Please check who handles it.'
				});
			}
			const [assigned] = await push(
				'coordinator',
				transition(id, 'triaged', 'assigned', { assigneeId: d.users.leader.id })
			);
			expect(assigned).toMatchObject({ status: 'applied' });
			expect(await caseRow(id)).toMatchObject({ status: 'assigned', assigneeId: d.users.leader.id });
		});

		it('marks when a case was resolved, and lets only a coordinator close it', async () => {
			const id = await caseAt('triaged', 'assigned', 'in_progress');
			expect((await caseRow(id)).resolvedAt).toBeNull();
			const [resolved, closedByLeader] = await push(
				'leader',
				transition(id, 'in_progress', 'resolved', { resolution: 'Fire lane painted' }),
				transition(id, 'resolved', 'closed')
			);
			expect(resolved).toMatchObject({ status: 'applied' });
			expect(closedByLeader).toMatchObject(rejection('FORBIDDEN'));
			const row = await caseRow(id);
			expect(row).toMatchObject({ status: 'resolved', resolution: 'Fire lane painted' });
			expect(row.resolvedAt).toEqual(row.updatedAt);
			const [, , , , resolvedEvent] = await eventsOf(id, 'transition');
			expect(resolvedEvent).toMatchObject({ to: 'resolved', body: 'Fire lane painted' });
			const [closed] = await push('coordinator', transition(id, 'resolved', 'closed', { satisfaction: 5 }));
			expect(closed).toMatchObject({ status: 'applied' });
			expect(await caseRow(id)).toMatchObject({ status: 'closed', satisfaction: 5 });
		});

		it('marks a duplicate only of a case that exists', async () => {
			const original = await caseAt();
			const id = await caseAt();
			const [unknown, done] = await push(
				'coordinator',
				transition(id, 'reported', 'duplicate', { duplicateOf: randomUUID() }),
				transition(id, 'reported', 'duplicate', { duplicateOf: original })
			);
			expect(unknown).toMatchObject(rejection('INVALID_FIELD'));
			expect(done).toMatchObject({ status: 'applied' });
			expect(await caseRow(id)).toMatchObject({ status: 'duplicate', duplicateOf: original });
		});

		it('answers NOT_FOUND for a case that does not exist', async () => {
			const [result] = await push('admin', transition(randomUUID(), 'reported', 'triaged'));
			expect(result).toMatchObject(rejection('NOT_FOUND'));
		});
	});

	describe('case.assign', () => {
		const assign = (id: string, assigneeId: string | null, teamId?: string | null): Mutation => ({
			name: 'case.assign',
			args: { id, assigneeId, ...(teamId === undefined ? {} : { teamId }) }
		});

		it('reassigns an open case and records an assignment event', async () => {
			const id = await caseAt('triaged', 'assigned');
			const [result] = await push('coordinator', assign(id, d.users.coordinator.id, d.teams.north));
			expect(result).toMatchObject({ status: 'applied' });
			expect(await caseRow(id)).toMatchObject({ assigneeId: d.users.coordinator.id, teamId: d.teams.north });
			expect(await eventsOf(id, 'assignment')).toMatchObject([
				{ body: 'Assigned to coordinator', by: d.users.coordinator.id }
			]);
			await push('leader', assign(id, null));
			expect(await caseRow(id)).toMatchObject({ assigneeId: null, teamId: d.teams.north });
			expect((await eventsOf(id, 'assignment')).map((e) => e.body)).toEqual([
				'Assigned to coordinator',
				'Unassigned'
			]);
		});

		it('refuses assignees and teams out of the case’s reach, volunteers, and finished cases', async () => {
			const id = await caseAt('triaged');
			const results = await push(
				'coordinator',
				assign(id, d.users.southCoordinator.id),
				assign(id, d.users.otherLeader.id),
				assign(id, d.users.leader.id, d.teams.south)
			);
			expect(results).toMatchObject([
				rejection('INVALID_FIELD'),
				rejection('INVALID_FIELD'),
				rejection('INVALID_FIELD')
			]);
			const [volunteer] = await push('volunteer', assign(id, d.users.leader.id));
			expect(volunteer).toMatchObject(rejection('FORBIDDEN'));
			const closed = await caseAt('rejected');
			const [finished] = await push('coordinator', assign(closed, d.users.leader.id));
			expect(finished).toMatchObject({ ...rejection('NOT_EDITABLE'), current: { status: 'rejected' } });
		});
	});

	describe('case.update', () => {
		it('lets someone who manages cases there edit its fields, stamping updatedAt', async () => {
			const id = await caseAt();
			const before = await caseRow(id);
			const [applied] = await push(
				'leader',
				update('case', id, { title: 'Fire lane blocked again', priority: 'high' })
			);
			expect(applied).toMatchObject({ status: 'applied' });
			const row = await caseRow(id);
			expect(row).toMatchObject({ title: 'Fire lane blocked again', priority: 'high', status: 'reported' });
			expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
			expect(row.syncVersion).toBeGreaterThan(before.syncVersion);
			const refused = [
				...(await push('volunteer', update('case', id, { title: 'mine now' }))),
				...(await push('southCoordinator', update('case', id, { title: 'mine now' }))),
				...(await push('leader', update('case', id, { status: 'closed' })))
			];
			expect(refused).toMatchObject([
				rejection('FORBIDDEN'),
				rejection('FORBIDDEN'),
				rejection('VALIDATION')
			]);
		});
	});

	describe('caseEvent.add', () => {
		const comment = (caseId: string, fields: object = {}) => ({
			id: uuidv7(),
			caseId,
			kind: 'comment' as const,
			body: 'Called the property office',
			photos: [],
			at: t0.toISOString(),
			by: randomUUID(),
			...fields
		});
		const add = (args: object): Mutation => ({ name: 'caseEvent.add', args });

		it('appends a comment by the person pushing, once however often it is sent', async () => {
			const id = await caseAt();
			const note = comment(id, { photos: [await photo(db, d.users.volunteer.id)] });
			const before = Date.now();
			// Sent again from a phone whose clock is two hours off: the time is the server's both times.
			const results = await push('volunteer', add(note), add({ ...note, at: hoursFromNow(-2) }));
			expect(results).toMatchObject([{ status: 'applied' }, { status: 'applied' }]);
			const [stored] = await eventsOf(id, 'comment');
			expect(await eventsOf(id, 'comment')).toMatchObject([
				{ id: note.id, body: note.body, by: d.users.volunteer.id, compoundId: d.compounds.nA }
			]);
			expect(stored.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
			expect(stored.at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
		});

		it('lets a volunteer comment on the open cases of their team’s compounds only', async () => {
			const open = await caseAt();
			const closed = await caseAt('rejected');
			const volunteer = await push('volunteer', add(comment(open)), add(comment(closed)));
			// Even the volunteer who reported it no longer sees a finished case, so cannot comment on it.
			expect(volunteer).toMatchObject([{ status: 'applied' }, rejection('FORBIDDEN')]);
			const south = await push('southVolunteer', add(comment(open)));
			expect(south).toMatchObject([rejection('FORBIDDEN')]);
			const [leader] = await push('leader', add(comment(closed)));
			expect(leader).toMatchObject({ status: 'applied' });
		});

		it('takes only comments, on cases that exist, with photos that have arrived', async () => {
			const id = await caseAt();
			const results = await push(
				'coordinator',
				add(comment(id, { kind: 'transition', from: 'closed', to: 'reported' })),
				add(comment(randomUUID())),
				add(comment(id, { photos: [await photo(db, d.users.coordinator.id, false)] }))
			);
			expect(results).toMatchObject([
				rejection('VALIDATION'),
				rejection('NOT_FOUND'),
				rejection('MISSING_PHOTO')
			]);
		});

		it('has no way to change or delete a case event', async () => {
			const results = await push(
				'admin',
				{ name: 'caseEvent.update', args: { id: randomUUID(), changes: {} } },
				{ name: 'caseEvent.delete', args: { id: randomUUID() } },
				{ name: 'caseEvent.create', args: {} }
			);
			expect(results.every((r) => r.status === 'rejected' && r.code === 'UNKNOWN_MUTATION')).toBe(true);
		});
	});
});
