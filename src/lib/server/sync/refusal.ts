import type { z } from 'zod';
import type { MessageKey } from '$lib/i18n';
import type { RejectionCode } from '$lib/sync/protocol';

/**
 * A mutation the domain refuses. It is thrown inside the mutation's savepoint, so throwing it undoes
 * that mutation's writes and nothing else; the push turns it into a `rejected` result.
 */
export class Refusal extends Error {
	constructor(
		readonly code: RejectionCode,
		readonly messageKey: MessageKey,
		readonly params: Record<string, string | number> = {},
		readonly current?: unknown
	) {
		super(code);
	}
}

/** The args as the schema reads them, or a VALIDATION refusal naming the failing paths. */
export function parseArgs<S extends z.ZodType>(schema: S, args: unknown): z.infer<S> {
	const parsed = schema.safeParse(args);
	if (parsed.success) return parsed.data;
	const paths = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(args)'))];
	throw new Refusal('VALIDATION', 'sync.rejected.validation', { details: paths.join(', ') });
}

export const forbiddenHere = () => new Refusal('FORBIDDEN', 'sync.rejected.forbidden');
export const notFound = () => new Refusal('NOT_FOUND', 'sync.rejected.notFound');
/** A compound, building, grid or case the record names does not exist, or they do not belong together. */
export const unknownPlace = () => new Refusal('NOT_FOUND', 'sync.rejected.place');
