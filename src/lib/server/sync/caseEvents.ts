import { v7 as uuidv7 } from 'uuid';
import type { CaseEvent, Place } from '$lib/domain';
import type { MutationContext } from './apply';
import type { PushStore } from './storage';

/** What the server says happened to a case; the author and time come from the push. */
export type ServerEvent = Pick<CaseEvent, 'kind'> & Partial<Pick<CaseEvent, 'from' | 'to' | 'body'>>;

/** Appends a case event written by the server (transitions, assignments), at the case's place. */
export async function appendCaseEvent(
	store: PushStore,
	context: MutationContext,
	caseId: string,
	place: Place,
	event: ServerEvent,
	id: string = uuidv7()
): Promise<number> {
	const record: CaseEvent = {
		id,
		caseId,
		from: null,
		to: null,
		body: null,
		...event,
		photos: [],
		at: context.now.toISOString(),
		by: context.actor.id
	};
	return store.insert('caseEvent', record, place);
}
