import { z } from 'zod';
import { isoTime } from '$lib/domain';
import { collectionNames, type CollectionName } from './collections';

/** The wire contract of DESIGN.md §3. */
export const protocolVersion = 1;
/** The shape of records on the wire; bumped when a record schema changes incompatibly. */
export const schemaVersion = 1;

export const maxMutationsPerPush = 500;
export const maxPushBytes = 2 * 1024 * 1024;
/** Devices send at most this many per batch (the server accepts up to `maxMutationsPerPush`). */
export const clientBatchSize = 100;
export const maxPullLimit = 1000;

const clientKey = z
	.string()
	.min(8)
	.max(64)
	.regex(/^[A-Za-z0-9_-]+$/);

export const mutationEnvelope = z.object({
	id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
	name: z.string().min(1).max(64),
	args: z.unknown(),
	clientTime: isoTime
});
export type MutationEnvelope = z.infer<typeof mutationEnvelope>;

export const pushRequest = z.object({
	protocolVersion: z.number().int(),
	schemaVersion: z.number().int(),
	clientGroupId: clientKey,
	clientId: clientKey,
	mutations: z.array(mutationEnvelope).max(maxMutationsPerPush)
});
export type PushRequest = z.infer<typeof pushRequest>;

export const rejectionCodes = [
	'VALIDATION',
	'FORBIDDEN',
	'NOT_FOUND',
	'DUPLICATE_ID',
	'STALE_TRANSITION',
	'ILLEGAL_TRANSITION',
	'MISSING_FIELD',
	'INVALID_FIELD',
	'NOT_EDITABLE',
	'UNKNOWN_MUTATION',
	'MISSING_PHOTO'
] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

export const mutationResult = z.discriminatedUnion('status', [
	z.object({ id: z.number(), status: z.literal('applied'), version: z.number().optional() }),
	z.object({
		id: z.number(),
		status: z.literal('rejected'),
		code: z.enum(rejectionCodes),
		message: z.string(),
		current: z.unknown().optional()
	})
]);
export type MutationResult = z.infer<typeof mutationResult>;

export const pushResponse = z.object({ lastMutationId: z.number(), results: z.array(mutationResult) });
export type PushResponse = z.infer<typeof pushResponse>;

export const pullRequest = z.object({
	protocolVersion: z.number().int(),
	schemaVersion: z.number().int(),
	clientGroupId: clientKey,
	clientId: clientKey.optional(),
	cursor: z
		.string()
		.regex(/^\d{1,15}$/)
		.nullable(),
	limit: z.number().int().min(1).max(maxPullLimit).default(500)
});
export type PullRequest = z.infer<typeof pullRequest>;

export const change = z.discriminatedUnion('op', [
	z.object({
		collection: z.enum(collectionNames as [CollectionName, ...CollectionName[]]),
		id: z.string(),
		op: z.literal('put'),
		record: z.record(z.string(), z.unknown()),
		version: z.number()
	}),
	z.object({
		collection: z.enum(collectionNames as [CollectionName, ...CollectionName[]]),
		id: z.string(),
		op: z.literal('del'),
		version: z.number()
	})
]);
export type Change = z.infer<typeof change>;

export const pullResponse = z.object({
	cursor: z.string(),
	hasMore: z.boolean(),
	lastMutationIds: z.record(z.string(), z.number()),
	changes: z.array(change),
	reset: z.boolean()
});
export type PullResponse = z.infer<typeof pullResponse>;

/** Error bodies of the sync endpoints beyond the generic `{ code, message }`. */
export const syncErrorCodes = ['MUTATION_GAP', 'VERSION_NOT_SUPPORTED'] as const;
