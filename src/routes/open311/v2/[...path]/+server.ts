import { getApp } from '$lib/server/app';
import { handleGet, handlePost, type Open311Context } from '$lib/server/open311/api';
import type { RequestEvent } from './$types';

async function context(event: RequestEvent): Promise<Open311Context> {
	const { database, config } = await getApp();
	return {
		db: database.db,
		envKeys: config.open311ApiKeys,
		locale: event.locals.locale,
		baseUrl: `${event.url.origin}/open311/v2/`
	};
}

export async function GET(event: RequestEvent) {
	return handleGet(await context(event), event.params.path, event.url.searchParams);
}

export async function POST(event: RequestEvent) {
	const body = await event.request.formData().catch(() => new FormData());
	return handlePost(await context(event), event.params.path, body);
}
