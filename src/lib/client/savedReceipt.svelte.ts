import type { CollectionName } from '$lib/sync/collections';
import type { DeviceDb } from './db';
import { isPending } from './outbox';
import type { SyncStatus } from './sync/status.svelte';

/**
 * The record a form has just saved, and whether the server has it yet: "saved on this device" until
 * the sync is acknowledged, then "synced". Asked again whenever the sync status moves.
 * Create it while a component initialises (it runs an effect).
 */
export class SavedReceipt {
	#id = $state<string | null>(null);
	#synced = $state(false);

	constructor(db: DeviceDb, collection: CollectionName, status: SyncStatus) {
		$effect(() => {
			const id = this.#id;
			if (!id) return;
			void [status.pendingCount, status.syncing, status.lastSuccessAt];
			let live = true;
			void isPending(db, collection, id).then((pending) => {
				if (live) this.#synced = !pending;
			});
			return () => {
				live = false;
			};
		});
	}

	/** The id of the record just saved; null once the person starts another. */
	get id(): string | null {
		return this.#id;
	}

	get synced(): boolean {
		return this.#synced;
	}

	saved(id: string): void {
		this.#synced = false;
		this.#id = id;
	}

	clear(): void {
		this.#id = null;
	}
}
