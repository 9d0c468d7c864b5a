import type { Actor } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import type { DeviceDb, StoredRecord } from './db';
import { mayEdit } from './edits';

/** Where an edit of a saved record stands: being read, ready, not on this device, or no longer changeable. */
export type EditState = 'loading' | 'ready' | 'missing' | 'locked';

/**
 * A form opened on one of the person's saved records (`?edit=<id>`): reads it from the device once and
 * says whether it may still be changed (`mayEdit`).
 */
export class RecordEdit<R extends StoredRecord = StoredRecord> {
	readonly id: string;
	#state = $state<EditState>('loading');
	#record = $state.raw<R | null>(null);

	constructor(db: DeviceDb, collection: CollectionName, id: string, actor: Actor) {
		this.id = id;
		void db
			.table<R>(collection)
			.get(id)
			.then((record) => {
				this.#record = record ?? null;
				this.#state = !record ? 'missing' : mayEdit(actor, collection, record) ? 'ready' : 'locked';
			});
	}

	get state(): EditState {
		return this.#state;
	}

	/** The record as saved, once read. */
	get record(): R | null {
		return this.#record;
	}
}
