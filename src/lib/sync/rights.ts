import type { Action } from '$lib/domain';
import type { CollectionName, collections } from './collections';

/** Collections a device may create records of. */
export type Creatable = {
	[C in CollectionName]: (typeof collections)[C] extends { create: true } ? C : never;
}[CollectionName];

/** What a person must hold at a record's place to make one (DOMAIN.md roles table); its author edits it while they hold it. */
export const createAction: Readonly<Record<Creatable, Action>> = {
	patrol: 'record',
	observation: 'record',
	feedback: 'record',
	survey: 'record',
	visit: 'recordVisit'
};

/** Records that freeze: a submitted patrol counts in the assessment; the edit that submits it still applies. */
export const frozen: Partial<Record<CollectionName, (record: Record<string, unknown>) => boolean>> = {
	patrol: (record) => record.status !== 'draft'
};
