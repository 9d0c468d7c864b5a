import { json } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import { endpoint } from '$lib/server/endpoint';
import { monthlyAssessment } from '$lib/server/reports/assessment';
import { monthOf, optionalId, requireReviewer } from '$lib/server/reports/request';

/** `GET /api/assessment?month=YYYY-MM[&communityId=…]`: every compound in scope, ranked and flagged. */
export const GET = endpoint(async ({ locals, url }) => {
	const user = requireReviewer(locals.user);
	const { database, config } = await getApp();
	const now = new Date();
	const month = monthOf(url.searchParams, now, config.timeZone);
	const rows = await monthlyAssessment(
		{ db: database.db, scope: user.scope, timeZone: config.timeZone, now },
		{ month, communityId: optionalId(url.searchParams, 'communityId') },
		config.assessment
	);
	return json({ month, ...config.assessment, rows }, { headers: { 'cache-control': 'no-store' } });
});
