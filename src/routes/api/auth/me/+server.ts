import { json } from '@sveltejs/kit';
import type { Person } from '$lib/domain';
import { endpoint } from '$lib/server/endpoint';
import { unauthenticated } from '$lib/server/http';

/** The signed-in person; the app keeps this on the device so that it opens offline. */
export const GET = endpoint(async ({ locals }) => {
	if (!locals.user) throw unauthenticated();
	const { id, username, displayName, role, teamId, scope } = locals.user;
	const person: Person = { id, username, displayName, role, teamId, scope };
	return json(person, { headers: { 'cache-control': 'no-store' } });
});
