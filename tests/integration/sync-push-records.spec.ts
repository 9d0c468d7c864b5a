import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import { caseEvents, cases, feedback, observations, patrols, surveys, visits } from '$lib/server/db/schema';
import { caseIdFor } from '$lib/server/sync/caseOpening';
import { databaseKinds, type TestDatabase } from './databases';
import {
	create,
	device,
	feedbackIn,
	observationIn,
	patrolIn,
	photo,
	remove,
	seedDistrict,
	surveyIn,
	update,
	visitIn,
	type District
} from './sync-fixtures';

const rejection = (code: string) => ({ status: 'rejected', code });

describe.each(databaseKinds)('sync push: field records on $kind', ({ open }) => {
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

	const observationRow = async (id: string) =>
		(await db.select().from(observations).where(eq(observations.id, id)))[0];

	describe('create', () => {
		it('stores the person pushing as the author, whatever the device says', async () => {
			const record = observationIn(d, { by: d.users.admin.id, resolvedOnSpot: true });
			await device(db, d.actors.volunteer).push(create('observation', record));
			expect((await observationRow(record.id)).by).toBe(d.users.volunteer.id);
		});

		it('takes a create of an existing id with the same content as applied, at the stored version', async () => {
			const record = observationIn(d, { resolvedOnSpot: true, gridId: null });
			const [first] = (await device(db, d.actors.volunteer).push(create('observation', record))).results;
			// Another app of the same person sends it again: times in another offset, the grid left for the server.
			const again = { ...record, observedAt: '2030-03-01T16:00:00+08:00' };
			const [second] = (await device(db, d.actors.volunteer).push(create('observation', again))).results;
			expect(second).toEqual(first);
		});

		it('rejects a create of an existing id with different content as DUPLICATE_ID', async () => {
			const record = observationIn(d, { resolvedOnSpot: true });
			const phone = device(db, d.actors.volunteer);
			await phone.push(create('observation', record));
			const [changed, otherAuthor] = (
				await phone.push(create('observation', { ...record, note: 'something else' }), {
					name: 'observation.create',
					args: record
				})
			).results;
			expect(changed).toMatchObject(rejection('DUPLICATE_ID'));
			expect(changed).not.toHaveProperty('current');
			expect(otherAuthor).toMatchObject({ status: 'applied' });
			const [byOther] = (await device(db, d.actors.leader).push(create('observation', record))).results;
			expect(byOther).toMatchObject(rejection('DUPLICATE_ID'));
			expect((await observationRow(record.id)).note).toBe(record.note);
		});

		it('answers creates of one id inside one batch as across batches, and an edit after them sees the record', async () => {
			const record = observationIn(d);
			const other = observationIn(d, { resolvedOnSpot: true });
			const response = await device(db, d.actors.volunteer).push(
				create('observation', record),
				create('observation', record),
				create('observation', { ...record, note: 'something else' }),
				update('observation', record.id, { note: 'edited on the phone' }),
				create('observation', other)
			);
			const [first, again, changed, edit, last] = response.results;
			expect(first).toMatchObject({ status: 'applied' });
			expect(again).toEqual({ ...first, id: 2 });
			expect(changed).toMatchObject(rejection('DUPLICATE_ID'));
			expect(edit).toMatchObject({ status: 'applied' });
			expect(last).toMatchObject({ status: 'applied' });
			expect((await observationRow(record.id)).note).toBe('edited on the phone');
			expect(await observationRow(other.id)).toBeDefined();
			const opened = await db
				.select()
				.from(cases)
				.where(eq(cases.id, caseIdFor('observation', record.id)));
			expect(opened).toHaveLength(1);
		});

		it('derives the place from reference data and rejects references that do not exist or disagree', async () => {
			const phone = device(db, d.actors.coordinator);
			const visit = visitIn(d);
			const results = (
				await phone.push(
					create('visit', visit),
					create('observation', observationIn(d, { buildingId: randomUUID() })),
					create('observation', observationIn(d, { buildingId: d.buildings.bNB })),
					create('observation', observationIn(d, { buildingId: null, gridId: d.grids.gNB })),
					create('survey', surveyIn(d, { compoundId: randomUUID() }))
				)
			).results;
			expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
				'applied',
				'NOT_FOUND',
				'NOT_FOUND',
				'NOT_FOUND',
				'NOT_FOUND'
			]);
			const [row] = await db.select().from(visits).where(eq(visits.id, visit.id));
			expect(row).toMatchObject({ communityId: d.communities.north, compoundId: d.compounds.nA });
		});

		it('stores columns derived from the record (a survey’s overall score)', async () => {
			const survey = surveyIn(d);
			await device(db, d.actors.coordinator).push(create('survey', survey));
			const [row] = await db.select().from(surveys).where(eq(surveys.id, survey.id));
			expect(row.overall).toBe(4);
		});

		it.each([
			['a volunteer', 'volunteer', 'observation', 'south'],
			['a volunteer', 'volunteer', 'visit', 'north'],
			['a grid leader', 'leader', 'observation', 'other grid'],
			['a coordinator', 'coordinator', 'feedback', 'south'],
			['a grid leader', 'southLeader', 'visit', 'north']
		] as const)('refuses %s (%s) a %s in the %s', async (_who, person, collection, where) => {
			const place = {
				north: { compoundId: d.compounds.nA, buildingId: d.buildings.bNA, gridId: d.grids.gNA },
				south: { compoundId: d.compounds.sA, buildingId: d.buildings.bSA, gridId: d.grids.gSA },
				'other grid': { compoundId: d.compounds.nB, buildingId: d.buildings.bNB, gridId: d.grids.gNB }
			}[where];
			const record =
				collection === 'visit'
					? visitIn(d, { buildingId: place.buildingId, gridId: place.gridId })
					: collection === 'feedback'
						? feedbackIn(d, { compoundId: place.compoundId, buildingId: place.buildingId })
						: observationIn(d, { compoundId: place.compoundId, buildingId: place.buildingId });
			const [result] = (await device(db, d.actors[person]).push(create(collection, record))).results;
			expect(result).toMatchObject(rejection('FORBIDDEN'));
		});

		it.each([
			['volunteer', 'observation'],
			['leader', 'visit'],
			['coordinator', 'feedback'],
			['admin', 'visit'],
			['southVolunteer', 'survey']
		] as const)('lets the %s record a %s in scope', async (person, collection) => {
			const south = person === 'southVolunteer';
			const record = {
				observation: observationIn(d),
				visit: visitIn(d),
				feedback: feedbackIn(d),
				survey: surveyIn(d, south ? { compoundId: d.compounds.sA } : {})
			}[collection];
			const [result] = (await device(db, d.actors[person]).push(create(collection, record))).results;
			expect(result).toMatchObject({ status: 'applied' });
		});
	});

	describe('photos', () => {
		it('rejects a record naming a photo the server does not have, wherever the photo sits', async () => {
			const phone = device(db, d.actors.volunteer);
			const uploaded = await photo(db, d.users.volunteer.id);
			const missing = await photo(db, d.users.volunteer.id, false);
			const withPhoto = observationIn(d, { photos: [uploaded] });
			const results = (
				await phone.push(
					create('observation', withPhoto),
					create('observation', observationIn(d, { photos: [uploaded, missing] })),
					create('patrol', patrolIn(d, { answers: [{ key: 'lane', value: false, photos: [missing] }] })),
					update('observation', withPhoto.id, { photos: [missing] })
				)
			).results;
			expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
				'applied',
				'MISSING_PHOTO',
				'MISSING_PHOTO',
				'MISSING_PHOTO'
			]);
		});
	});

	describe('update', () => {
		it('merges field by field: updates to different fields both survive, the later arrival wins a field', async () => {
			const record = observationIn(d, { resolvedOnSpot: true });
			const phone = device(db, d.actors.volunteer);
			const tablet = device(db, d.actors.volunteer);
			await phone.push(create('observation', record));
			await phone.push(update('observation', record.id, { note: 'from the phone' }));
			await tablet.push(update('observation', record.id, { severity: 'high' }));
			expect(await observationRow(record.id)).toMatchObject({ note: 'from the phone', severity: 'high' });

			// Same field: the server's order of arrival decides, never the devices' clocks.
			const late = tablet.batch([update('observation', record.id, { note: 'tablet, written first' })]);
			late.mutations[0].clientTime = '2020-01-01T00:00:00Z';
			await phone.push(update('observation', record.id, { note: 'phone, written later' }));
			const [result] = (await tablet.send(late)).results;
			const row = await observationRow(record.id);
			expect(row).toMatchObject({ note: 'tablet, written first', severity: 'high' });
			expect(result).toEqual({ id: late.mutations[0].id, status: 'applied', version: row.syncVersion });
		});

		it('lets only the author change a record', async () => {
			const record = observationIn(d, { resolvedOnSpot: true });
			await device(db, d.actors.volunteer).push(create('observation', record));
			for (const person of ['leader', 'coordinator', 'admin', 'southVolunteer'] as const) {
				const [result] = (
					await device(db, d.actors[person]).push(update('observation', record.id, { note: person }))
				).results;
				expect(result).toMatchObject(rejection('FORBIDDEN'));
			}
			expect((await observationRow(record.id)).note).toBe(record.note);
		});

		it('checks the merged record against the whole schema and the place it moves to', async () => {
			const phone = device(db, d.actors.leader);
			const record = feedbackIn(d, { resident: null, consentToContact: false });
			const [, noConsent, wrongBuilding, unknown, kept] = (
				await phone.push(
					create('feedback', record),
					update('feedback', record.id, { resident: { name: '王五' } }),
					update('feedback', record.id, { buildingId: d.buildings.bNB }),
					update('feedback', randomUUID(), { text: 'nobody' }),
					update('feedback', record.id, { resident: { name: '王五' }, consentToContact: true })
				)
			).results;
			expect(noConsent).toMatchObject(rejection('VALIDATION'));
			expect(noConsent.status === 'rejected' && noConsent.message).toContain('consentToContact');
			expect(wrongBuilding).toMatchObject(rejection('NOT_FOUND'));
			expect(unknown).toMatchObject(rejection('NOT_FOUND'));
			expect(kept).toMatchObject({ status: 'applied' });
			const [row] = await db.select().from(feedback).where(eq(feedback.id, record.id));
			expect(row).toMatchObject({
				resident: { name: '王五' },
				consentToContact: true,
				buildingId: d.buildings.bNA
			});
		});

		it('edits a patrol while it is a draft, takes the edit that submits it, then refuses edits', async () => {
			const phone = device(db, d.actors.volunteer);
			const patrol = patrolIn(d);
			const answers = [{ key: 'fire_lane_clear', value: true, photos: [] }];
			const results = (
				await phone.push(
					create('patrol', patrol),
					update('patrol', patrol.id, { answers }),
					update('patrol', patrol.id, { status: 'submitted', finishedAt: '2030-03-01T09:00:00Z' }),
					update('patrol', patrol.id, { answers: [] })
				)
			).results;
			expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'rejected']);
			expect(results[3]).toMatchObject({
				code: 'NOT_EDITABLE',
				current: { id: patrol.id, status: 'submitted', answers }
			});
			const [row] = await db.select().from(patrols).where(eq(patrols.id, patrol.id));
			expect(row).toMatchObject({ status: 'submitted', answers });
		});
	});

	describe('delete', () => {
		it('tombstones the author’s record at a new version; deleting again changes nothing', async () => {
			const phone = device(db, d.actors.volunteer);
			const record = observationIn(d, { resolvedOnSpot: true });
			const [created] = (await phone.push(create('observation', record))).results;
			const [forbidden] = (await device(db, d.actors.coordinator).push(remove('observation', record.id)))
				.results;
			expect(forbidden).toMatchObject(rejection('FORBIDDEN'));
			const [deleted, again, missing, edit] = (
				await phone.push(
					remove('observation', record.id),
					remove('observation', record.id),
					remove('observation', randomUUID()),
					update('observation', record.id, { note: 'too late' })
				)
			).results;
			const row = await observationRow(record.id);
			expect(row.deletedAt).toBeInstanceOf(Date);
			expect(deleted).toEqual({ id: deleted.id, status: 'applied', version: row.syncVersion });
			expect(row.syncVersion).toBeGreaterThan(created.status === 'applied' ? created.version! : Infinity);
			expect(again).toEqual({ id: again.id, status: 'applied', version: row.syncVersion });
			expect(missing).toMatchObject(rejection('NOT_FOUND'));
			expect(edit).toMatchObject(rejection('NOT_FOUND'));
		});

		it('has no delete for records that are never deleted', async () => {
			const results = (
				await device(db, d.actors.admin).push(remove('survey', randomUUID()), remove('case', randomUUID()))
			).results;
			expect(results).toMatchObject([rejection('UNKNOWN_MUTATION'), rejection('UNKNOWN_MUTATION')]);
		});
	});

	describe('opening cases', () => {
		const caseOf = async (source: 'observation' | 'feedback' | 'visit', id: string) =>
			(
				await db
					.select()
					.from(cases)
					.where(eq(cases.id, caseIdFor(source, id)))
			)[0];
		const eventsOf = (caseId: string) => db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));

		it('opens a reported case for an observation not resolved on the spot, with its event', async () => {
			const record = observationIn(d, {
				category: 'safety',
				subtype: 'safety.fire_hazard',
				severity: 'high'
			});
			const [result] = (await device(db, d.actors.volunteer, 'zh-CN').push(create('observation', record)))
				.results;
			const opened = await caseOf('observation', record.id);
			expect(opened).toMatchObject({
				source: { type: 'observation', id: record.id },
				title: '消防安全隐患（3号楼）',
				category: 'safety',
				priority: 'urgent',
				status: 'reported',
				communityId: d.communities.north,
				compoundId: d.compounds.nA,
				gridId: d.grids.gNA,
				teamId: d.teams.north,
				assigneeId: null
			});
			expect(result.status === 'applied' && opened.syncVersion).toBeGreaterThan(
				result.status === 'applied' ? result.version! : Infinity
			);
			const events = await eventsOf(opened.id);
			expect(events).toMatchObject([
				{ kind: 'transition', from: null, to: 'reported', by: d.users.volunteer.id }
			]);
		});

		it('opens nothing for an observation resolved on the spot or for praise', async () => {
			const resolved = observationIn(d, { resolvedOnSpot: true });
			const praise = feedbackIn(d, { kind: 'praise' });
			await device(db, d.actors.leader).push(create('observation', resolved), create('feedback', praise));
			expect(await caseOf('observation', resolved.id)).toBeUndefined();
			expect(await caseOf('feedback', praise.id)).toBeUndefined();
		});

		it('opens a case for feedback that is not praise, its category from the topic', async () => {
			const record = feedbackIn(d, {
				kind: 'dispute',
				topic: 'greenery',
				text: 'Neighbours argue over the lawn'
			});
			await device(db, d.actors.leader).push(create('feedback', record));
			expect(await caseOf('feedback', record.id)).toMatchObject({
				title: 'Dispute: Neighbours argue over the lawn',
				category: 'sanitation',
				priority: 'high',
				gridId: d.grids.gNA
			});
		});

		it('opens a case for a visit that needs following up', async () => {
			const record = visitIn(d);
			const quiet = visitIn(d, { needsFollowUp: false });
			await device(db, d.actors.leader).push(create('visit', record), create('visit', quiet));
			expect(await caseOf('visit', record.id)).toMatchObject({
				title: '3号楼 2-401: Lives alone; the stair light is out',
				category: 'other',
				priority: 'high'
			});
			expect(await caseOf('visit', quiet.id)).toBeUndefined();
		});

		it('opens one case however often the create is retried, from whichever app', async () => {
			const record = observationIn(d);
			const phone = device(db, d.actors.volunteer);
			const body = phone.batch([create('observation', record)]);
			await phone.send(body);
			await phone.send(body);
			await phone.push(create('observation', record));
			await device(db, d.actors.volunteer).push(create('observation', record));
			const opened = await caseOf('observation', record.id);
			expect(await db.select().from(cases).where(eq(cases.compoundId, d.compounds.nA))).toContainEqual(
				opened
			);
			expect(
				(await db.select().from(cases)).filter(
					(c) => c.source.type === 'observation' && c.source.id === record.id
				)
			).toHaveLength(1);
			expect(await eventsOf(opened.id)).toHaveLength(1);
		});

		it('opens the case when an edit makes the record call for one, and only once', async () => {
			const record = observationIn(d, { resolvedOnSpot: true });
			const phone = device(db, d.actors.volunteer);
			await phone.push(create('observation', record));
			expect(await caseOf('observation', record.id)).toBeUndefined();
			await phone.push(
				update('observation', record.id, { resolvedOnSpot: false }),
				update('observation', record.id, { note: 'still blocked' })
			);
			const opened = await caseOf('observation', record.id);
			expect(opened).toMatchObject({ status: 'reported' });
			expect(await eventsOf(opened.id)).toHaveLength(1);
		});

		it('opens no second case when the source already has one under another id (demo or imported)', async () => {
			const record = observationIn(d);
			const phone = device(db, d.actors.volunteer);
			await phone.push(create('observation', record));
			const opened = await caseOf('observation', record.id);
			const otherId = randomUUID();
			await db.update(cases).set({ id: otherId }).where(eq(cases.id, opened.id));
			await phone.push(update('observation', record.id, { note: 'edited after the case was opened' }));
			const all = await db
				.select({ id: cases.id })
				.from(cases)
				.where(eq(cases.compoundId, record.compoundId));
			expect(all.filter((c) => c.id === caseIdFor('observation', record.id))).toHaveLength(0);
			expect(all.filter((c) => c.id === otherId)).toHaveLength(1);
		});
	});
});
