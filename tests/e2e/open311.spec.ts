import { expect, test } from '@playwright/test';

// Open311 GeoReport v2 against the built server and the demo district: open to any client without a
// session, writes with an api_key only, and no resident's phone in any answer. The answers field by
// field are checked in tests/integration/open311.spec.ts.

const base = '/open311/v2';

test('an Open311 client reads services and requests without a session, in JSON and XML', async ({
	request
}) => {
	const services = await request.get(`${base}/services.json`);
	expect(services.status()).toBe(200);
	expect(services.headers()['access-control-allow-origin']).toBe('*');
	expect((await services.json()).length).toBe(24);
	const xml = await request.get(`${base}/services.xml`, { headers: { 'accept-language': 'en' } });
	expect(xml.headers()['content-type']).toMatch(/^text\/xml/);
	expect(await xml.text()).toContain('<service_code>parking.fire_lane_blocked</service_code>');

	// The demo district's history: cases from observations and residents' feedback, never a phone number.
	const requests = await request.get(`${base}/requests.json`);
	expect(requests.status()).toBe(200);
	const listed = await requests.json();
	expect(listed.length).toBeGreaterThan(10);
	expect(new Set(listed.map((r: { status: string }) => r.status))).toEqual(new Set(['open', 'closed']));
	// (A mobile number on its own, not digits inside an id or a coordinate.)
	expect(JSON.stringify(listed)).not.toMatch(/(^|[^0-9a-f.-])1[3-9]\d{9}(?!\d)/i);
});

test('a report posted with an api_key from another site becomes an open request; without one it is refused', async ({
	request
}) => {
	const form = {
		service_code: 'sanitation.overflowing_bin',
		lat: '33.63',
		long: '116.98',
		description: 'Bins by the north gate overflow',
		phone: '13900001111'
	};
	const refused = await request.post(`${base}/requests.json`, { form });
	expect(refused.status()).toBe(403);

	const made = await request.post(`${base}/requests.json`, {
		form: { ...form, api_key: 'e2e-open311-key' },
		headers: { origin: 'https://fixmystreet.example' }
	});
	expect(made.status()).toBe(200);
	const [{ service_request_id: id }] = await made.json();
	const shown = await request.get(`${base}/requests/${id}.json`);
	expect(await shown.json()).toEqual([
		expect.objectContaining({
			service_request_id: id,
			status: 'open',
			service_code: 'sanitation.overflowing_bin'
		})
	]);
	expect(await shown.text()).not.toContain('13900001111');
});
