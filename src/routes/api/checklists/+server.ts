import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { templateDraft } from '$lib/domain';
import { getApp } from '$lib/server/app';
import {
	createTemplate,
	listTemplates,
	parseTemplate,
	requireTemplateManager,
	templateBodyLimit
} from '$lib/server/checklists/templates';
import { endpoint } from '$lib/server/endpoint';
import { readJson, unauthenticated } from '$lib/server/http';

/** Checklist templates, for coordinators and admins: every template with all its versions, and a new template. */
export const GET = endpoint(async ({ locals }) => {
	if (!locals.user) throw unauthenticated();
	requireTemplateManager(locals.user);
	const { database } = await getApp();
	return json(await listTemplates(database.db), { headers: { 'cache-control': 'no-store' } });
});

export const POST = endpoint(async ({ locals, request }) => {
	if (!locals.user) throw unauthenticated();
	requireTemplateManager(locals.user);
	const body = await readJson(request, z.unknown(), templateBodyLimit);
	const draft = parseTemplate(templateDraft, body, locals.locale);
	const { database } = await getApp();
	const template = await createTemplate(
		{ db: database.db, actor: locals.user, requestId: locals.requestId },
		draft
	);
	return json(template, { status: 201, headers: { 'cache-control': 'no-store' } });
});
