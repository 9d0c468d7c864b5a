import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { readJson, requireRole } from '$lib/server/http';
import { issueKey, listKeys } from '$lib/server/open311/keys';

/** Open311 API keys, for admins: the list (never the keys), and a new key shown this once. */
const newKey = z.object({ label: z.string().trim().min(1).max(60) });

export const GET = endpoint(async ({ locals }) => {
	requireRole(locals.user, ['admin']);
	const { database } = await getApp();
	return json(await listKeys(database.db), { headers: { 'cache-control': 'no-store' } });
});

export const POST = endpoint(async ({ locals, request }) => {
	const admin = requireRole(locals.user, ['admin']);
	const { label } = await readJson(request, newKey, 4096);
	const { database } = await getApp();
	return json(await issueKey(database.db, label, admin.id), {
		status: 201,
		headers: { 'cache-control': 'no-store' }
	});
});
