import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import type { Role } from '$lib/domain';
import { t, type Locale, type MessageKey } from '$lib/i18n';

/** A refusal the person can read: `{ code, message }` in their language, with an HTTP status. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly messageKey: MessageKey,
		readonly params: Record<string, string | number> = {},
		readonly headers: Record<string, string> = {},
		readonly extra: Record<string, unknown> = {}
	) {
		super(code);
	}

	toResponse(locale: Locale): Response {
		return json(
			{ code: this.code, message: t(locale, this.messageKey, this.params), ...this.extra },
			{ status: this.status, headers: this.headers }
		);
	}
}

export const unauthenticated = () => new ApiError(401, 'UNAUTHENTICATED', 'error.unauthenticated');
export const forbidden = () => new ApiError(403, 'FORBIDDEN', 'error.forbidden');

/** The signed-in person when their role is one of `roles`: else 401 (nobody signed in) or 403. */
export function requireRole<U extends { role: Role }>(user: U | null, roles: readonly Role[]): U {
	if (!user) throw unauthenticated();
	if (!roles.includes(user.role)) throw forbidden();
	return user;
}

/**
 * Reads a JSON body no larger than `limitBytes` and checks it against a shared schema.
 * Too large → 413, not JSON → 400 BAD_JSON, wrong shape → 400 BAD_REQUEST with the failing paths.
 */
export async function readJson<S extends z.ZodType>(
	request: Request,
	schema: S,
	limitBytes: number
): Promise<z.infer<S>> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > limitBytes) throw tooLarge(limitBytes);
	const text = await readLimited(request, limitBytes);
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new ApiError(400, 'BAD_JSON', 'error.badJson');
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) {
		const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
		const details = issues.map((i) => i.path || '(body)').join(', ');
		throw new ApiError(400, 'BAD_REQUEST', 'error.badRequest', { details }, {}, { issues });
	}
	return parsed.data;
}

function tooLarge(limitBytes: number) {
	const limit = limitBytes >= 1024 * 1024 ? `${limitBytes / 1024 / 1024} MB` : `${limitBytes / 1024} KB`;
	return new ApiError(413, 'TOO_LARGE', 'error.tooLarge', { limit });
}

async function readLimited(request: Request, limitBytes: number): Promise<string> {
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limitBytes) {
			await reader.cancel();
			throw tooLarge(limitBytes);
		}
		chunks.push(value);
	}
	return new TextDecoder().decode(Buffer.concat(chunks));
}
