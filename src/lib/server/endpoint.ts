import type { RequestEvent, RequestHandler } from '@sveltejs/kit';
import { ApiError } from './http';

/** Wraps a JSON endpoint so that a refusal it throws becomes `{ code, message }` in the person's language. */
export function endpoint<E extends RequestEvent>(handler: (event: E) => Promise<Response>) {
	return (async (event: E) => {
		try {
			return await handler(event);
		} catch (error) {
			if (error instanceof ApiError) return error.toResponse(event.locals.locale);
			throw error;
		}
	}) as unknown as RequestHandler;
}
