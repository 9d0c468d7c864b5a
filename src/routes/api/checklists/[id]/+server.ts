import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { recordId, templateRevision } from '$lib/domain';
import { getApp } from '$lib/server/app';
import {
	parseTemplate,
	requireTemplateManager,
	reviseTemplate,
	templateBodyLimit
} from '$lib/server/checklists/templates';
import { endpoint } from '$lib/server/endpoint';
import { ApiError, readJson, unauthenticated } from '$lib/server/http';

/** `PUT /api/checklists/<id>` `{ baseVersion, title, items }`: the template's next version (409 when it is not the newest). */
export const PUT = endpoint(async ({ locals, params, request }) => {
	if (!locals.user) throw unauthenticated();
	requireTemplateManager(locals.user);
	const id = recordId.safeParse(params.id);
	if (!id.success) throw new ApiError(404, 'NOT_FOUND', 'checklists.unknown');
	const body = await readJson(request, z.unknown(), templateBodyLimit);
	const revision = parseTemplate(templateRevision, body, locals.locale);
	const { database } = await getApp();
	const template = await reviseTemplate(
		{ db: database.db, actor: locals.user, requestId: locals.requestId },
		id.data,
		revision
	);
	return json(template, { headers: { 'cache-control': 'no-store' } });
});
