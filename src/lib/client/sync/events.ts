/** A refusal or failure a person can read; `code` is stable so the UI can show it in their language. */
export interface SyncError {
	code: string;
	message: string;
}

/** Why the outbox changed: a local write, a push result, or a pull that confirmed some mutations. */
export type OutboxChange = 'recorded' | 'acknowledged' | 'rejected' | 'confirmed';

/** The cross-cutting signals of the device's sync (STYLE.md: a typed event map, not components calling each other). */
export interface SyncEventMap {
	'outbox:changed': { cause: OutboxChange };
	'sync:done': { at: string; pushed: number; pulled: number };
	'sync:error': SyncError;
}

type Listener<M, K extends keyof M> = (detail: M[K]) => void;

/** A small typed emitter; listeners run synchronously in the order they were added. */
export class TypedEvents<M> {
	#listeners = new Map<keyof M, Set<Listener<M, keyof M>>>();

	/** Adds a listener and returns the function that removes it. */
	on<K extends keyof M>(type: K, listener: Listener<M, K>): () => void {
		const listeners = this.#listeners.get(type) ?? new Set();
		listeners.add(listener as Listener<M, keyof M>);
		this.#listeners.set(type, listeners);
		return () => listeners.delete(listener as Listener<M, keyof M>);
	}

	emit<K extends keyof M>(type: K, detail: M[K]): void {
		for (const listener of [...(this.#listeners.get(type) ?? [])]) listener(detail);
	}
}

export class SyncEvents extends TypedEvents<SyncEventMap> {}
