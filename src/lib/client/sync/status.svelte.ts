import type { RejectedEntry } from '../db';
import type { SyncError } from './events';
import { initialSnapshot, type SyncProgress, type SyncReporter, type SyncSnapshot } from './report';

/**
 * Sync state for the UI: one instance per app, passed by context. The runner writes it through the
 * `SyncReporter` interface (so the runner stays plain TypeScript); components read the getters.
 */
export class SyncStatus implements SyncReporter {
	#state = $state<SyncSnapshot>(initialSnapshot());

	get online(): boolean {
		return this.#state.online;
	}
	get syncing(): boolean {
		return this.#state.syncing;
	}
	get pendingCount(): number {
		return this.#state.pendingCount;
	}
	get bytesLeft(): number {
		return this.#state.bytesLeft;
	}
	get progress(): SyncProgress | null {
		return this.#state.progress;
	}
	get lastSuccessAt(): string | null {
		return this.#state.lastSuccessAt;
	}
	get lastError(): SyncError | null {
		return this.#state.lastError;
	}
	get needsAttention(): RejectedEntry[] {
		return this.#state.needsAttention;
	}
	get loginRequired(): boolean {
		return this.#state.loginRequired;
	}
	get updateRequired(): boolean {
		return this.#state.updateRequired;
	}

	report(patch: Partial<SyncSnapshot>): void {
		Object.assign(this.#state, patch);
	}
}
