import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { dashboard } from '$lib/server/reports/dashboard';
import { filtersOf, requireReviewer } from '$lib/server/reports/request';

/** `GET /api/dashboard?communityId&compoundId&gridId&from&to`: the review dashboard's figures. */
export const GET = endpoint(async ({ locals, url }) => {
	const user = requireReviewer(locals.user);
	const { database, config } = await getApp();
	const figures = await dashboard(
		{ db: database.db, scope: user.scope, timeZone: config.timeZone },
		filtersOf(url.searchParams)
	);
	return json(figures, { headers: { 'cache-control': 'no-store' } });
});
