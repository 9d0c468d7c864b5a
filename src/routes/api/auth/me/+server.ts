import { json } from '@sveltejs/kit';
import { endpoint } from '$lib/server/endpoint';
import { unauthenticated } from '$lib/server/http';

export const GET = endpoint(async ({ locals }) => {
	if (!locals.user) throw unauthenticated();
	const { id, username, displayName, role, scope } = locals.user;
	return json({ id, username, displayName, role, scope });
});
