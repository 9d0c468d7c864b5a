import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { ApiError } from '$lib/server/http';
import { assessmentDetail } from '$lib/server/reports/assessment';
import { idParam, monthOf, requireReviewer } from '$lib/server/reports/request';

/** `GET /api/assessment/<compoundId>?month=YYYY-MM`: the surveys, cases and patrols behind the figures. */
export const GET = endpoint(async ({ locals, params, url }) => {
	const user = requireReviewer(locals.user);
	const { database, config } = await getApp();
	const now = new Date();
	const month = monthOf(url.searchParams, now, config.timeZone);
	const detail = await assessmentDetail(
		{ db: database.db, scope: user.scope, timeZone: config.timeZone, now },
		idParam(params.compoundId),
		month
	);
	if (!detail) throw new ApiError(404, 'NOT_FOUND', 'error.notFound');
	return json({ month, ...detail }, { headers: { 'cache-control': 'no-store' } });
});
