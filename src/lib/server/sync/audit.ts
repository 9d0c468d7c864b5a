import { maskPhone } from '$lib/domain';
import type { Applied, MutationContext } from './apply';
import type { PushStore } from './storage';

/** A copy in which every `phone` reads masked: the audit log outlives the right to see a resident. */
export function maskPhones(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(maskPhones);
	if (!value || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, inner]) => [
			key,
			key === 'phone' && typeof inner === 'string' ? maskPhone(inner) : maskPhones(inner)
		])
	);
}

export async function auditMutation(
	store: PushStore,
	context: MutationContext,
	action: string,
	applied: Applied
) {
	await store.audit({
		at: context.now,
		userId: context.actor.id,
		clientId: context.clientId,
		requestId: context.requestId,
		action,
		collection: applied.collection,
		recordId: applied.recordId,
		changes: maskPhones(applied.changes) as Record<string, unknown>
	});
}
