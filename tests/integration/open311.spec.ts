import { XMLParser } from 'fast-xml-parser';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, cases, feedback, open311Requests, users } from '$lib/server/db/schema';
import type { Db } from '$lib/server/db';
import { handleGet, handlePost, type Open311Context } from '$lib/server/open311/api';
import { issueKey, revokeKey } from '$lib/server/open311/keys';
import { caseIdFor } from '$lib/server/sync/caseOpening';
import { databaseKinds, type TestDatabase } from './databases';
import {
	create,
	device,
	observationIn,
	seedDistrict,
	transition,
	visitIn,
	type District
} from './sync-fixtures';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) and FixMyStreet's servicerequestupdates,
 * field by field against the specification, in JSON and XML, on both databases.
 */
const xml = new XMLParser({
	parseTagValue: false,
	isArray: (name) =>
		['service', 'request', 'attribute', 'value', 'error', 'request_update', 'endpoint', 'format'].includes(
			name
		)
});
const envKey = 'env-key-for-tests';
const residentPhone = '13812345678';

describe.each(databaseKinds)('Open311 GeoReport v2 on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	const ctx = (locale: 'en' | 'zh-CN' = 'en'): Open311Context => ({
		db,
		envKeys: [envKey],
		locale,
		baseUrl: 'https://gridwalk.example/open311/v2/'
	});
	beforeAll(async () => {
		database = await open();
		db = database.db;
		d = await seedDistrict(db);
	});
	afterAll(() => database.drop());

	const get = async (path: string, query = '', locale: 'en' | 'zh-CN' = 'en') => {
		const response = await handleGet(ctx(locale), path, new URLSearchParams(query));
		const text = await response.text();
		return {
			status: response.status,
			type: response.headers.get('content-type'),
			text,
			body: path.endsWith('.json') ? JSON.parse(text) : xml.parse(text)
		};
	};
	const post = async (path: string, fields: Record<string, string>) => {
		const form = new FormData();
		for (const [name, value] of Object.entries(fields)) form.set(name, value);
		const response = await handlePost(ctx(), path, form);
		const text = await response.text();
		return {
			status: response.status,
			text,
			body: path.endsWith('.json') ? JSON.parse(text) : xml.parse(text)
		};
	};
	const report = (fields: Record<string, string> = {}) =>
		post('requests.json', {
			api_key: envKey,
			service_code: 'parking.fire_lane_blocked',
			address_id: d.buildings.bNA,
			description: 'A car blocks the fire lane by building 3',
			...fields
		});

	it('discovery names the GeoReport v2 endpoint and its formats', async () => {
		const json = await get('discovery.json');
		expect(json.status).toBe(200);
		expect(json.type).toMatch(/^application\/json/);
		expect(json.body.endpoints).toEqual([
			expect.objectContaining({
				specification: 'http://wiki.open311.org/GeoReport_v2',
				url: 'https://gridwalk.example/open311/v2/',
				type: 'production',
				formats: ['text/xml', 'application/json']
			})
		]);
		const asXml = await get('discovery.xml');
		expect(asXml.type).toMatch(/^text\/xml/);
		expect(asXml.body.discovery.endpoints.endpoint[0].formats.format).toEqual([
			'text/xml',
			'application/json'
		]);
	});

	it('services: every observation subtype and feedback topic, with the fields of the specification', async () => {
		const { body } = await get('services.json');
		expect(body).toHaveLength(15 + 9);
		for (const service of body) {
			expect(Object.keys(service)).toEqual([
				'service_code',
				'service_name',
				'description',
				'metadata',
				'type',
				'keywords',
				'group'
			]);
			expect(service.type).toBe('realtime');
			expect(typeof service.metadata).toBe('boolean');
		}
		expect(
			body.find((s: { service_code: string }) => s.service_code === 'parking.fire_lane_blocked')
		).toMatchObject({
			service_name: 'Fire lane blocked',
			metadata: false,
			group: 'Parking'
		});
		expect(body.find((s: { service_code: string }) => s.service_code === 'feedback.noise')).toMatchObject({
			service_name: 'Resident feedback: Noise',
			metadata: true
		});
		const zh = await get('services.xml', '', 'zh-CN');
		const services = zh.body.services.service;
		expect(services).toHaveLength(24);
		expect(
			services.find((s: { service_code: string }) => s.service_code === 'parking.fire_lane_blocked')
				.service_name
		).toBe('消防通道被占用');
	});

	it('a service definition lists the attribute a feedback service needs; unknown services are 404', async () => {
		const { body } = await get('services/feedback.noise.json');
		expect(body.service_code).toBe('feedback.noise');
		expect(body.attributes).toEqual([
			{
				variable: true,
				code: 'kind',
				datatype: 'singlevaluelist',
				required: true,
				datatype_description: expect.any(String),
				order: 1,
				description: 'What kind of feedback is it?',
				values: [
					{ key: 'suggestion', name: 'Suggestion' },
					{ key: 'complaint', name: 'Complaint' },
					{ key: 'request', name: 'Request' },
					{ key: 'dispute', name: 'Dispute' }
				]
			}
		]);
		const asXml = await get('services/feedback.noise.xml');
		expect(asXml.body.service_definition.attributes.attribute[0].values.value).toHaveLength(4);
		expect((await get('services/parking.fire_lane_blocked.json')).body.attributes).toEqual([]);
		const missing = await get('services/no.such.json');
		expect(missing.status).toBe(404);
		expect(missing.body).toEqual([{ code: 404, description: 'There is no service no.such' }]);
		const missingXml = await get('services/no.such.xml');
		expect(missingXml.body.errors.error[0]).toEqual({
			code: '404',
			description: 'There is no service no.such'
		});
	});

	it('POST requests needs a valid api_key and the required fields, each refusal as the specification says', async () => {
		expect((await report({ api_key: '' })).status).toBe(403);
		expect((await report({ api_key: 'wrong' })).body).toEqual([
			{ code: 403, description: 'The api_key is missing or not valid.' }
		]);
		expect((await report({ service_code: '' })).body).toEqual([
			{ code: 400, description: 'Required field missing: service_code' }
		]);
		expect((await report({ service_code: 'no.such' })).status).toBe(404);
		expect((await report({ service_code: 'feedback.noise' })).body[0].description).toBe(
			'Required field missing: attribute[kind]'
		);
		expect((await report({ service_code: 'feedback.noise', 'attribute[kind]': 'praise' })).status).toBe(400);
		expect((await report({ address_id: '' })).body[0].description).toMatch(
			/lat\/long, address_string, address_id/
		);
		expect((await report({ address_id: '', lat: '33.6', long: 'x' })).status).toBe(400);
		expect((await report({ address_id: '', lat: '39.9', long: '116.4' })).body[0].description).toBe(
			'This position is outside the district.'
		);
		expect((await report({ phone: '12345' })).body[0].description).toMatch(/mainland China mobile/);
		const before = await db.select().from(feedback);
		expect(before.filter((f) => f.channel === 'online')).toEqual([]);
	});

	it('a resident’s report becomes feedback and its case; the request shows no personal data', async () => {
		const made = await report({
			first_name: '小明',
			last_name: '王',
			phone: '+86 138-1234-5678',
			account_id: 'acct-9'
		});
		expect(made.status).toBe(200);
		expect(made.body).toEqual([
			{ service_request_id: expect.any(String), service_notice: '', account_id: 'acct-9' }
		]);
		const caseId = made.body[0].service_request_id;
		const [intake] = await db.select().from(open311Requests).where(eq(open311Requests.caseId, caseId));
		expect(intake).toMatchObject({ serviceCode: 'parking.fire_lane_blocked', client: 'env' });
		const [record] = await db.select().from(feedback).where(eq(feedback.id, intake.feedbackId));
		expect(record).toMatchObject({
			kind: 'complaint',
			topic: 'parking',
			channel: 'online',
			text: 'A car blocks the fire lane by building 3',
			resident: { name: '王小明', phone: residentPhone },
			consentToContact: true,
			compoundId: d.compounds.nA,
			buildingId: d.buildings.bNA
		});
		const [author] = await db.select().from(users).where(eq(users.id, record.by));
		expect(author).toMatchObject({ username: 'open311', active: false });
		expect(caseIdFor('feedback', record.id)).toBe(caseId);

		const one = await get(`requests/${caseId}.json`);
		expect(one.body).toHaveLength(1);
		expect(Object.keys(one.body[0])).toEqual([
			'service_request_id',
			'status',
			'status_notes',
			'service_name',
			'service_code',
			'description',
			'agency_responsible',
			'service_notice',
			'requested_datetime',
			'updated_datetime',
			'expected_datetime',
			'address',
			'address_id',
			'zipcode',
			'lat',
			'long',
			'media_url'
		]);
		expect(one.body[0]).toMatchObject({
			service_request_id: caseId,
			status: 'open',
			status_notes: 'Reported',
			service_code: 'parking.fire_lane_blocked',
			service_name: 'Fire lane blocked',
			agency_responsible: 'north',
			address: 'nA 3号楼',
			lat: 33.63,
			long: 116.98
		});
		expect(one.text).not.toContain('5678');
		expect(one.text).not.toContain('小明');
		const asXml = await get(`requests/${caseId}.xml`);
		expect(asXml.body.service_requests.request[0]).toMatchObject({
			service_request_id: caseId,
			status: 'open'
		});
		expect((await get('requests/00000000-0000-0000-0000-000000000000.json')).status).toBe(404);
	});

	it('places a report by lat/long or by the compound named in address_string', async () => {
		const byPoint = await report({ address_id: '', lat: '33.6301', long: '116.9801' });
		const byName = await report({ address_id: '', address_string: '南区 sA 小区 3号楼 2单元' });
		const placed = async (caseId: string) => {
			const [intake] = await db.select().from(open311Requests).where(eq(open311Requests.caseId, caseId));
			return (await db.select().from(feedback).where(eq(feedback.id, intake.feedbackId)))[0];
		};
		expect(Object.values(d.buildings)).toContain(
			(await placed(byPoint.body[0].service_request_id)).buildingId
		);
		expect(await placed(byName.body[0].service_request_id)).toMatchObject({
			compoundId: d.compounds.sA,
			buildingId: d.buildings.bSA
		});
		expect((await report({ address_id: '', address_string: 'Nowhere street 1' })).status).toBe(400);
	});

	it('keys issued by an admin work until revoked', async () => {
		const { key, issued } = await issueKey(db, 'FixMyStreet', d.users.admin.id);
		const made = await report({ api_key: key });
		expect(made.status).toBe(200);
		const [intake] = await db
			.select()
			.from(open311Requests)
			.where(eq(open311Requests.caseId, made.body[0].service_request_id));
		expect(intake.client).toBe('FixMyStreet');
		expect(await revokeKey(db, issued.id)).toBe(true);
		expect((await report({ api_key: key })).status).toBe(403);
	});

	it('GET requests filters by status, service and dates; closed once resolved; visits stay private', async () => {
		const leader = device(db, d.actors.leader);
		const observation = observationIn(d, { subtype: 'sanitation.litter', category: 'sanitation' });
		const visit = visitIn(d, { needsFollowUp: true });
		await leader.push(create('observation', observation), create('visit', visit));
		const caseId = caseIdFor('observation', observation.id);
		const visitCase = caseIdFor('visit', visit.id);
		expect((await db.select().from(cases).where(eq(cases.id, visitCase))).length).toBe(1);

		// The demo record dates lie ahead (2030): the window is given.
		const window = 'start_date=2000-01-01T00:00:00Z&end_date=2100-01-01T00:00:00Z';
		const listed = await get('requests.json', window);
		const ids = listed.body.map((r: { service_request_id: string }) => r.service_request_id);
		expect(ids).toContain(caseId);
		expect(ids).not.toContain(visitCase);
		expect((await get(`requests/${visitCase}.json`)).status).toBe(404);
		const litter = await get('requests.json', `${window}&service_code=sanitation.litter`);
		expect(litter.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([caseId]);

		const coordinator = device(db, d.actors.coordinator);
		await coordinator.push(
			transition(caseId, 'reported', 'triaged'),
			transition(caseId, 'triaged', 'assigned', { assigneeId: d.users.leader.id }),
			transition(caseId, 'assigned', 'in_progress'),
			transition(caseId, 'in_progress', 'resolved', { resolution: 'Swept; call 13912345678 if it returns' })
		);
		const closed = await get('requests.json', `${window}&status=closed`);
		const resolved = closed.body.find((r: { service_request_id: string }) => r.service_request_id === caseId);
		expect(resolved).toMatchObject({
			status: 'closed',
			status_notes: 'Resolved: Swept; call 139****5678 if it returns'
		});
		const open = await get('requests.json', `${window}&status=open`);
		expect(open.body.every((r: { status: string }) => r.status === 'open')).toBe(true);
		expect((await get('requests.json', 'start_date=yesterday')).body).toEqual([
			{ code: 400, description: 'start_date is not a valid date and time (ISO 8601).' }
		]);
		expect((await get('requests.json', 'status=pending')).status).toBe(400);

		const updates = await get('servicerequestupdates.xml', window);
		const mine = updates.body.service_request_updates.request_update.filter(
			(u: { service_request_id: string }) => u.service_request_id === caseId
		);
		expect(mine.map((u: { status: string }) => u.status)).toEqual([
			'OPEN',
			'INVESTIGATING',
			'ACTION_SCHEDULED',
			'IN_PROGRESS',
			'FIXED'
		]);
		expect(Object.keys(mine[0])).toEqual([
			'update_id',
			'service_request_id',
			'status',
			'updated_datetime',
			'description',
			'media_url'
		]);
	});

	it('POST servicerequestupdates adds the client’s comment to the case; unknown requests are 404', async () => {
		const made = await report();
		const caseId = made.body[0].service_request_id;
		const sent = await post('servicerequestupdates.json', {
			api_key: envKey,
			service_request_id: caseId,
			description: 'Still blocked this morning'
		});
		expect(sent.status).toBe(200);
		const [comment] = await db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, 'comment')));
		expect(comment).toMatchObject({ id: sent.body[0].update_id, body: 'Still blocked this morning' });
		const unknown = await post('servicerequestupdates.json', {
			api_key: envKey,
			service_request_id: '00000000-0000-0000-0000-000000000000',
			description: 'x'
		});
		expect(unknown.status).toBe(404);
		expect(
			(
				await post('servicerequestupdates.json', {
					api_key: 'nope',
					service_request_id: caseId,
					description: 'x'
				})
			).status
		).toBe(403);
	});
});
