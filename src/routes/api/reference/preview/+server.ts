import { json } from '@sveltejs/kit';
import { maxReferenceFileBytes, referenceImportRequest } from '$lib/domain';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { readJson, requireRole } from '$lib/server/http';
import { previewImport } from '$lib/server/reference';

/** `POST /api/reference/preview`: what importing this file would create, update and refuse. Writes nothing. */
export const POST = endpoint(async ({ locals, request }) => {
	requireRole(locals.user, ['admin']);
	const body = await readJson(request, referenceImportRequest, maxReferenceFileBytes + 64 * 1024);
	const { database } = await getApp();
	return json(await previewImport(database.db, body, locals.locale), {
		headers: { 'cache-control': 'no-store' }
	});
});
