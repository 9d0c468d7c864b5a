import { json } from '@sveltejs/kit';
import { maxReferenceFileBytes, referenceImportRequest } from '$lib/domain';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { readJson, requireRole } from '$lib/server/http';
import { runImport } from '$lib/server/reference';

/** `POST /api/reference/import`: writes the file's compounds, grids or buildings in one transaction. */
export const POST = endpoint(async ({ locals, request }) => {
	const admin = requireRole(locals.user, ['admin']);
	const body = await readJson(request, referenceImportRequest, maxReferenceFileBytes + 64 * 1024);
	const { database } = await getApp();
	const result = await runImport(
		{ db: database.db, actorId: admin.id, requestId: locals.requestId, locale: locals.locale },
		body
	);
	return json(result, { headers: { 'cache-control': 'no-store' } });
});
