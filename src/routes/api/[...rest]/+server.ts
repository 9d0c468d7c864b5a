import { endpoint } from '$lib/server/endpoint';
import { ApiError } from '$lib/server/http';

/** An API path that does not exist answers JSON, like every other API answer. */
const notFound = endpoint(async () => {
	throw new ApiError(404, 'NOT_FOUND', 'error.notFound');
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
