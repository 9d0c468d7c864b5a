import { getApp } from '$lib/server/app';
import { getPhoto, headPhoto, photoBlobs, putPhoto } from '$lib/server/blobs';
import { endpoint } from '$lib/server/endpoint';
import { unauthenticated } from '$lib/server/http';
import type { RequestEvent } from './$types';

export const HEAD = endpoint<RequestEvent>(async ({ params }) =>
	headPhoto(photoBlobs(await getApp()), params.sha256)
);

export const PUT = endpoint<RequestEvent>(async ({ params, request, locals }) => {
	if (!locals.user) throw unauthenticated();
	return putPhoto(photoBlobs(await getApp()), locals.user, params.sha256, request);
});

export const GET = endpoint<RequestEvent>(async ({ params, locals }) => {
	if (!locals.user) throw unauthenticated();
	return getPhoto(photoBlobs(await getApp()), locals.user, params.sha256);
});
