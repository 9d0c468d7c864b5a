import type { FormDraft } from './drafts';

export interface KeptDraftOptions<F> {
	/** The form's fields from what was kept, or null when that no longer fits the form. */
	restore: (kept: unknown) => F | null;
	hasInput: (fields: F) => boolean;
	/** What the form holds now: kept at every change once the offer is answered. */
	current: () => F;
	/** True when the form holds exactly the record being edited: there is nothing to keep then. */
	unchanged?: (fields: F) => boolean;
}

/**
 * A form's unsaved input on the device: what was kept is offered back when the form opens, until the
 * person takes it up or discards it; from then on the form is kept at every change.
 * Create it while a component initialises (it runs an effect).
 */
export class KeptDraft<F> {
	#offer = $state.raw<{ fields: F; savedAt: string } | null>(null);
	#answered = $state(false);
	readonly #draft: () => FormDraft;

	constructor(draft: () => FormDraft, options: KeptDraftOptions<F>) {
		this.#draft = draft;
		const kept = draft().read();
		const restored = kept && options.restore(kept.fields);
		if (kept && restored && options.hasInput(restored))
			this.#offer = { fields: restored, savedAt: kept.savedAt };
		else this.#answered = true;
		$effect(() => {
			if (!this.#answered) return;
			const snapshot = $state.snapshot(options.current()) as F;
			if (options.hasInput(snapshot) && !options.unchanged?.(snapshot)) draft().write(snapshot);
		});
	}

	/** What was kept, while the person has not answered the offer. */
	get offer(): { fields: F; savedAt: string } | null {
		return this.#offer;
	}

	/** The person takes the kept input up: the form goes on from it, and is kept from now on. */
	take(): void {
		this.#offer = null;
		this.#answered = true;
	}

	/** The person starts afresh: what was kept is forgotten. */
	async discard(): Promise<void> {
		this.take();
		await this.#draft().discard();
	}
}
