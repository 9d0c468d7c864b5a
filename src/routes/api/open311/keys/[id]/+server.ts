import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { ApiError, requireRole } from '$lib/server/http';
import { revokeKey } from '$lib/server/open311/keys';

/** Revokes an Open311 API key (admins). The key stays listed, marked revoked. */
export const DELETE = endpoint(async ({ locals, params }) => {
	requireRole(locals.user, ['admin']);
	const { database } = await getApp();
	const id = params.id ?? '';
	const known = /^[0-9a-f-]{36}$/i.test(id) && (await revokeKey(database.db, id));
	if (!known) throw new ApiError(404, 'NOT_FOUND', 'open311.keys.unknown');
	return json({ revoked: id });
});
