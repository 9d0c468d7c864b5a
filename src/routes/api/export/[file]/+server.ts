import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { download } from '$lib/server/reports/download';

/** `GET /api/export/<observations|cases|feedback|visits|patrols>.<csv|xlsx|geojson>`: see download.ts. */
export const GET = endpoint(async ({ locals, params, url }) => {
	const { database, config } = await getApp();
	return download(
		{
			db: database.db,
			user: locals.user,
			locale: locals.locale,
			timeZone: config.timeZone,
			requestId: locals.requestId
		},
		params.file ?? '',
		url.searchParams
	);
});
