import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import { parseMutationName } from '$lib/sync/mutations';
import { t, type Locale } from '$lib/i18n';
import {
	maxMutationsPerPush,
	mutationEnvelope,
	pushRequest,
	type MutationEnvelope,
	type MutationResult,
	type PushResponse
} from '$lib/sync/protocol';
import type { Db } from '../db';
import { syncClients } from '../db/schema';
import { ApiError } from '../http';
import { log } from '../log';
import { applyMutation, type MutationContext } from './apply';
import { Refusal } from './refusal';
import { refusalsOf, rememberRefusals } from './rejections';
import { PushStore, type Tx } from './storage';
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
 * Applies a device's batch of mutations (DESIGN.md §3) in ONE transaction: each mutation on its own, so
 * a refused one undoes only itself, then the client's new last mutation id, one commit.
 */
export async function pushMutations(
	db: Db,
	pusher: Pusher,
	body: PushBody,
	now = new Date()
): Promise<PushResponse> {
	requireServable(body);
	try {
		return await pushOnce(db, pusher, body, now, true);
	} catch (error) {
		if (!(error instanceof UnstorableRun)) throw error;
		return pushOnce(db, pusher, body, now, false);
	}
}

/**
 * The database refused the rows of a deferred run of creates (content it cannot store): the push is
 * rolled back and done again without deferring, one savepoint per mutation, so the refusal lands on
 * the mutation that caused it. Rare by design: the schemas catch almost all bad content first.
 */
class UnstorableRun extends Error {}

async function pushOnce(
	db: Db,
	pusher: Pusher,
	body: PushBody,
	now: Date,
	defer: boolean
): Promise<PushResponse> {
	return db.transaction(async (tx) => {
		const store = await PushStore.open(tx);
		const last = await lockClient(tx, body, pusher.actor.id, now);
		requireNoGap(body.mutations, last);
		const context: MutationContext = { ...pusher, clientId: body.clientId, now };
		const earlier = await refusalsOf(tx, body.clientId, body.mutations, last);
		// A mutation at or below the last id is a retry after a lost response: it took effect (or was refused) the first time.
		const fresh = [...new Map(body.mutations.filter((m) => m.id > last).map((m) => [m.id, m])).values()];
		const answers = new Map<number, MutationResult>();
		for (const run of runsOf(fresh)) {
			const results =
				run.creates && defer
					? await applyCreates(store, context, run.mutations)
					: await applyEach(store, context, run.mutations);
			for (const result of results) answers.set(result.id, result);
		}
		await rememberRefusals(tx, body.clientId, [...answers.values()], now);
		const lastMutationId = fresh.reduce((highest, m) => Math.max(highest, m.id), last);
		if (lastMutationId !== last) {
			await tx
				.update(syncClients)
				.set({ lastMutationId, updatedAt: now })
				.where(eq(syncClients.clientId, body.clientId));
		}
		await store.close();
		const results = body.mutations.map(
			(m) => answers.get(m.id) ?? earlier.get(m.id) ?? { id: m.id, status: 'applied' as const }
		);
		return { lastMutationId, results };
	});
}

/** The collection a mutation creates a record in, if it is a create. */
function createdIn(mutation: MutationEnvelope): CollectionName | null {
	const kind = parseMutationName(mutation.name);
	return kind?.kind === 'create' ? kind.collection : null;
}

/** The batch cut where it turns from creates to other mutations and back: creates are applied a run at a time. */
function runsOf(mutations: MutationEnvelope[]): { creates: boolean; mutations: MutationEnvelope[] }[] {
	const runs: { creates: boolean; mutations: MutationEnvelope[] }[] = [];
	for (const mutation of mutations) {
		const creates = createdIn(mutation) !== null;
		const run = runs.at(-1);
		if (run && run.creates === creates) run.mutations.push(mutation);
		else runs.push({ creates, mutations: [mutation] });
	}
	return runs;
}

/**
 * A run of creates, deferred (see PushStore): the records and references it needs are fetched in a
 * few queries, its rows written by one INSERT per table at the end. A refused create forgets its rows.
 */
async function applyCreates(
	store: PushStore,
	context: MutationContext,
	run: MutationEnvelope[]
): Promise<MutationResult[]> {
	await store.deferCreates(run.map((m) => ({ collection: createdIn(m)!, args: m.args })));
	const results: MutationResult[] = [];
	for (const mutation of run) {
		const mark = store.mark();
		try {
			results.push({
				id: mutation.id,
				status: 'applied',
				version: await applyMutation(store, context, mutation)
			});
		} catch (error) {
			// Anything but a refusal fails the whole push, and its transaction with it.
			if (!(error instanceof Refusal)) throw error;
			store.undo(mark);
			results.push(rejection(context, mutation.id, error));
		}
	}
	try {
		await store.flush();
	} catch (error) {
		if (unstorable(error, context)) throw new UnstorableRun();
		throw error;
	}
	return results;
}

/** Mutations one at a time, each in its own savepoint. */
async function applyEach(
	store: PushStore,
	context: MutationContext,
	mutations: MutationEnvelope[]
): Promise<MutationResult[]> {
	const results: MutationResult[] = [];
	for (const mutation of mutations) {
		const mark = store.mark();
		try {
			const version = await store.tx.transaction(() => applyMutation(store, context, mutation));
			results.push({ id: mutation.id, status: 'applied', version });
		} catch (error) {
			store.undo(mark);
			const refusal = error instanceof Refusal ? error : unstorable(error, context);
			if (!refusal) throw error;
			results.push(rejection(context, mutation.id, refusal));
		}
	}
	return results;
}

function rejection(context: MutationContext, id: number, refusal: Refusal): MutationResult {
	return {
		id,
		status: 'rejected',
		code: refusal.code,
		message: t(context.locale, refusal.messageKey, refusal.params),
		...(refusal.current === undefined ? {} : { current: refusal.current })
	};
}

function requireServable(body: PushBody) {
	requireServableVersions(body);
	if (body.mutations.length > maxMutationsPerPush) {
		throw new ApiError(413, 'TOO_LARGE', 'sync.tooManyMutations', { max: maxMutationsPerPush });
	}
}

/** Registers a new client to the person pushing and locks its row; returns its last mutation id. */
async function lockClient(tx: Tx, body: PushBody, userId: string, now: Date): Promise<number> {
	// One statement: a new client is registered, a known one locked (ON CONFLICT DO UPDATE locks the row).
	const [client] = await tx
		.insert(syncClients)
		.values({ clientId: body.clientId, clientGroupId: body.clientGroupId, userId, updatedAt: now })
		.onConflictDoUpdate({ target: syncClients.clientId, set: { clientId: sql`excluded.client_id` } })
		.returning({ userId: syncClients.userId, lastMutationId: syncClients.lastMutationId });
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
