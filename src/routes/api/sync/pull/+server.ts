import { json } from '@sveltejs/kit';
import { pullRequest } from '$lib/sync/protocol';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { readJson, unauthenticated } from '$lib/server/http';
import { pullPage } from '$lib/server/sync/pull';

/** A pull body is a few ids and a cursor. */
const pullBodyLimit = 16 * 1024;

export const POST = endpoint(async (event) => {
	const { user } = event.locals;
	if (!user) throw unauthenticated();
	const body = await readJson(event.request, pullRequest, pullBodyLimit);
	const { database } = await getApp();
	const response = await pullPage(database.db, user, body);
	return json(response, { headers: { 'cache-control': 'no-store' } });
});
