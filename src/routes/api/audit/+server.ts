import { json } from '@sveltejs/kit';
import { auditQueryFrom } from '$lib/domain';
import { getApp } from '$lib/server/app';
import { auditPage } from '$lib/server/audit/log';
import { endpoint } from '$lib/server/endpoint';
import { ApiError, requireRole } from '$lib/server/http';

/** `GET /api/audit?user&collection&recordId&action&from&to&cursor&limit`: one page of the audit log, admins only. */
export const GET = endpoint(async ({ locals, url }) => {
	requireRole(locals.user, ['admin']);
	const parsed = auditQueryFrom(url.searchParams);
	if (!parsed.success) {
		const details = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
		throw new ApiError(400, 'BAD_REQUEST', 'error.badRequest', { details });
	}
	const { database, config } = await getApp();
	return json(await auditPage(database.db, parsed.data, config.timeZone), {
		headers: { 'cache-control': 'no-store' }
	});
});
