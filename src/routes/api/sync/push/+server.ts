import { json } from '@sveltejs/kit';
import { maxPushBytes } from '$lib/sync/protocol';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { readJson, unauthenticated } from '$lib/server/http';
import { pushBody, pushMutations } from '$lib/server/sync/push';

export const POST = endpoint(async (event) => {
	const { user, requestId, locale } = event.locals;
	if (!user) throw unauthenticated();
	const body = await readJson(event.request, pushBody, maxPushBytes);
	const { database } = await getApp();
	const response = await pushMutations(database.db, { actor: user, requestId, locale }, body);
	return json(response, { headers: { 'cache-control': 'no-store' } });
});
