import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '$lib/domain';
import { t, type Locale } from '$lib/i18n';
import {
	maxMutationsPerPush,
	mutationEnvelope,
	pushRequest,
	type MutationEnvelope,
	type MutationResult,
	type PushResponse,
	type RejectionCode
} from '$lib/sync/protocol';
import type { Db } from '../db';
import { syncClients, syncCounter, syncRejections } from '../db/schema';
import { ApiError } from '../http';
import { log } from '../log';
import { applyMutation, type MutationContext } from './apply';
import { Refusal } from './refusal';
import type { Tx } from './storage';
import { requireServableVersions } from './versions';

/** The body as read off the wire; the count is checked after parsing so that too many is a 413, not a 400. */
export const pushBody = pushRequest.extend({ mutations: z.array(mutationEnvelope) });
export type PushBody = z.infer<typeof pushBody>;

/** The person pushing, from their session, and the request they push in. */
export interface Pusher {
	actor: Actor;
	requestId: string;
	locale: Locale;
}

/**
 * Applies a device's batch of mutations (DESIGN.md §3) in ONE transaction: each mutation in its own
 * savepoint so a refused one undoes only itself, then the client's new last mutation id, one commit.
 */
export async function pushMutations(
	db: Db,
	pusher: Pusher,
	body: PushBody,
	now = new Date()
): Promise<PushResponse> {
	requireServable(body);
	return db.transaction(async (tx) => {
		// Taken before any row lock, so pushes queue in one order and never deadlock; held to commit, it
		// is what keeps versions visible in the order they were handed out.
		await tx
			.select({ value: syncCounter.value })
			.from(syncCounter)
			.where(eq(syncCounter.id, 1))
			.for('update');
		const last = await lockClient(tx, body, pusher.actor.id, now);
		requireNoGap(body.mutations, last);
		const context: MutationContext = { ...pusher, clientId: body.clientId, now };
		const results: MutationResult[] = [];
		let lastMutationId = last;
		const earlierRefusals = await refusalsOf(tx, body.clientId, body.mutations, last);
		for (const mutation of body.mutations) {
			if (mutation.id <= lastMutationId) {
				// A retry after a lost response: it took effect (or was refused) the first time.
				results.push(earlierRefusals.get(mutation.id) ?? { id: mutation.id, status: 'applied' });
				continue;
			}
			const result = await applyInSavepoint(tx, context, mutation);
			if (result.status === 'rejected') await rememberRefusal(tx, body.clientId, result, now);
			results.push(result);
			lastMutationId = mutation.id;
		}
		if (lastMutationId !== last) {
			await tx
				.update(syncClients)
				.set({ lastMutationId, updatedAt: now })
				.where(eq(syncClients.clientId, body.clientId));
		}
		return { lastMutationId, results };
	});
}

function requireServable(body: PushBody) {
	requireServableVersions(body);
	if (body.mutations.length > maxMutationsPerPush) {
		throw new ApiError(413, 'TOO_LARGE', 'sync.tooManyMutations', { max: maxMutationsPerPush });
	}
}

/** Registers a new client to the person pushing and locks its row; returns its last mutation id. */
async function lockClient(tx: Tx, body: PushBody, userId: string, now: Date): Promise<number> {
	await tx
		.insert(syncClients)
		.values({ clientId: body.clientId, clientGroupId: body.clientGroupId, userId, updatedAt: now })
		.onConflictDoNothing();
	const [client] = await tx
		.select()
		.from(syncClients)
		.where(eq(syncClients.clientId, body.clientId))
		.for('update');
	if (client.userId !== userId) throw new ApiError(403, 'FORBIDDEN', 'sync.clientTaken');
	return client.lastMutationId;
}

/** Mutations must follow on from the last one applied; a hole means the device lost some, so nothing is applied. */
function requireNoGap(mutations: MutationEnvelope[], last: number) {
	let expected = last + 1;
	for (const { id } of mutations) {
		if (id < expected) continue;
		if (id > expected) {
			throw new ApiError(
				409,
				'MUTATION_GAP',
				'sync.mutationGap',
				{ expected: last + 1 },
				{},
				{
					error: 'MUTATION_GAP',
					expected: last + 1
				}
			);
		}
		expected = id + 1;
	}
}

async function applyInSavepoint(
	tx: Tx,
	context: MutationContext,
	mutation: MutationEnvelope
): Promise<MutationResult> {
	try {
		const version = await tx.transaction((savepoint) => applyMutation(savepoint, context, mutation));
		return { id: mutation.id, status: 'applied', version };
	} catch (error) {
		const refusal = error instanceof Refusal ? error : unstorable(error, context);
		if (!refusal) throw error;
		return {
			id: mutation.id,
			status: 'rejected',
			code: refusal.code,
			message: t(context.locale, refusal.messageKey, refusal.params),
			...(refusal.current === undefined ? {} : { current: refusal.current })
		};
	}
}

/**
 * Content the schemas let through but PostgreSQL will not store (a NUL character, a number out of a
 * column's range) is bad input: refused like any other. Anything else is the server's trouble and fails the push.
 */
function unstorable(error: unknown, context: MutationContext): Refusal | null {
	const state = sqlState(error);
	if (!state || !(state.startsWith('22') || state.startsWith('23'))) return null;
	log.warn({ reqId: context.requestId, sqlState: state }, 'mutation content refused by the database');
	return new Refusal('VALIDATION', 'sync.rejected.unstorable');
}

function sqlState(error: unknown): string | null {
	for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
	}
	return null;
}

/** The refusals already given to the retried part of a batch, so they are answered the same way. */
async function refusalsOf(
	tx: Tx,
	clientId: string,
	mutations: MutationEnvelope[],
	last: number
): Promise<Map<number, MutationResult>> {
	const retried = mutations.filter((m) => m.id <= last).map((m) => m.id);
	if (retried.length === 0) return new Map();
	const rows = await tx
		.select()
		.from(syncRejections)
		.where(and(eq(syncRejections.clientId, clientId), inArray(syncRejections.mutationId, retried)));
	return new Map(
		rows.map((row) => [
			row.mutationId,
			{
				id: row.mutationId,
				status: 'rejected',
				code: row.code as RejectionCode,
				message: row.message,
				...(row.current == null ? {} : { current: row.current })
			}
		])
	);
}

async function rememberRefusal(tx: Tx, clientId: string, result: MutationResult, now: Date) {
	if (result.status !== 'rejected') return;
	await tx.insert(syncRejections).values({
		clientId,
		mutationId: result.id,
		code: result.code,
		message: result.message,
		current: result.current ?? null,
		at: now
	});
}
