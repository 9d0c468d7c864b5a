import type { Patrol } from '$lib/domain';
import type { DeviceDb, PhotoEntry } from '../db';
import { recordMutation } from '../outbox';
import { photoRefsIn } from '../photos';

/** The fields a patrol in progress changes (`patrol.update`, editable in the collection registry). */
export type PatrolChanges = Partial<Pick<Patrol, 'answers' | 'track' | 'finishedAt' | 'status' | 'gridId'>>;

/** How long the saver waits for more changes (typing, a stepper held down) before it records them. */
export const saveDelayMs = 1200;

interface SaverOptions {
	delayMs?: number;
	record?: typeof recordMutation;
	/** Told the changes not yet recorded whenever they change (to keep them synchronously, e.g. in localStorage). */
	onpending?: (changes: PatrolChanges) => void;
	/** Told when the device refuses to record (storage full …); the changes stay pending for the next try. */
	onerror?: (error: unknown) => void;
}

/**
 * Records a patrol's changes on the device as `patrol.update` mutations, debounced so that typing does
 * not flood the outbox: later changes of a field replace earlier ones, and a batch is recorded after a
 * pause, at once when it carries photos or the status, or when `flush` is called (the page is hidden).
 */
export class PatrolSaver {
	readonly #db: DeviceDb;
	readonly #id: string;
	readonly #delayMs: number;
	readonly #record: typeof recordMutation;
	readonly #onpending?: (changes: PatrolChanges) => void;
	readonly #onerror?: (error: unknown) => void;
	#pending: PatrolChanges = {};
	#photos = new Map<string, PhotoEntry>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	#chain: Promise<void> = Promise.resolve();

	constructor(db: DeviceDb, id: string, options: SaverOptions = {}) {
		this.#db = db;
		this.#id = id;
		this.#delayMs = options.delayMs ?? saveDelayMs;
		this.#record = options.record ?? recordMutation;
		this.#onpending = options.onpending;
		this.#onerror = options.onerror;
	}

	get id(): string {
		return this.#id;
	}

	/** The changes not recorded yet. */
	get pending(): PatrolChanges {
		return this.#pending;
	}

	change(changes: PatrolChanges, photos: readonly PhotoEntry[] = []): void {
		this.#pending = { ...this.#pending, ...changes };
		for (const photo of photos) this.#photos.set(photo.sha256, photo);
		this.#onpending?.(this.#pending);
		if (photos.length > 0 || changes.status) {
			void this.flush();
			return;
		}
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
	}

	/** Records what is pending now; resolves once every change handed over so far is recorded (or refused). */
	flush(): Promise<void> {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		const changes = this.#pending;
		if (Object.keys(changes).length === 0) return this.#chain;
		// Only the photos the changes still refer to: one taken and removed again is not kept.
		const referred = new Set(photoRefsIn(changes).map((ref) => ref.sha256));
		const photos = [...this.#photos.values()].filter((photo) => referred.has(photo.sha256));
		this.#pending = {};
		this.#photos = new Map();
		this.#chain = this.#chain.then(async () => {
			try {
				await this.#record(this.#db, 'patrol.update', { id: this.#id, changes }, { photos });
				this.#onpending?.(this.#pending);
			} catch (error) {
				// Kept for the next try, under whatever changed since.
				this.#pending = { ...changes, ...this.#pending };
				for (const photo of photos)
					if (!this.#photos.has(photo.sha256)) this.#photos.set(photo.sha256, photo);
				this.#onerror?.(error);
			}
		});
		return this.#chain;
	}
}
