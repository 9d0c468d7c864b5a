import Dexie, { type Table } from 'dexie';
import type { PhotoEntry } from './db';

/** A photo of a form not yet saved: its bytes wait here, apart from the synced `photos` table. */
interface DraftPhoto {
	form: string;
	sha256: string;
	photo: PhotoEntry;
}

type DraftDb = Dexie & { photos: Table<DraftPhoto, [string, string]> };

/** The drafts database; its own, so the device database's schema and its sync never see a draft. */
export function openDraftDb(name = 'gridwalk-drafts'): DraftDb {
	const db = new Dexie(name) as DraftDb;
	db.version(1).stores({ photos: '[form+sha256], form' });
	return db;
}

let opened: DraftDb | undefined;
const draftDb = () => (opened ??= openDraftDb());

/** What a form kept on the device, and when. */
export interface Draft {
	fields: unknown;
	savedAt: string;
}

type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * One form's unsaved input, kept on the device as the person goes: the fields in localStorage (written
 * at every change, synchronously, so a closed tab loses nothing) and the photos' bytes in IndexedDB.
 * `form` names the form and the person (`observe:<userId>`): nobody is offered another person's draft.
 */
export class FormDraft {
	readonly #form: string;
	readonly #storage: DraftStorage;
	readonly #db: DraftDb;

	constructor(
		form: string,
		{ storage = localStorage, db = draftDb() }: { storage?: DraftStorage; db?: DraftDb } = {}
	) {
		this.#form = form;
		this.#storage = storage;
		this.#db = db;
	}

	get #key(): string {
		return `gridwalk.draft.${this.#form}`;
	}

	read(): Draft | null {
		try {
			const saved = JSON.parse(this.#storage.getItem(this.#key) ?? 'null') as Draft | null;
			return saved && typeof saved.savedAt === 'string' ? saved : null;
		} catch {
			return null;
		}
	}

	/** Keeps the fields; a full localStorage only costs the draft, never the form on screen. */
	write(fields: unknown, now = new Date()): void {
		try {
			this.#storage.setItem(this.#key, JSON.stringify({ fields, savedAt: now.toISOString() }));
		} catch {
			// No room for the draft: the person can still save the form itself.
		}
	}

	async keepPhoto(photo: PhotoEntry): Promise<void> {
		await this.#db.photos.put({ form: this.#form, sha256: photo.sha256, photo });
	}

	async dropPhoto(sha256: string): Promise<void> {
		await this.#db.photos.delete([this.#form, sha256]);
	}

	/** The kept photos among `sha256s`, in that order; one whose bytes are gone is left out. */
	async photos(sha256s: readonly string[]): Promise<PhotoEntry[]> {
		const found = await this.#db.photos.bulkGet(
			sha256s.map((sha256) => [this.#form, sha256] as [string, string])
		);
		return found.flatMap((entry) => (entry ? [entry.photo] : []));
	}

	/** Forgets the draft: after a save (the record holds the photos now) or when the person discards it. */
	async discard(): Promise<void> {
		this.#storage.removeItem(this.#key);
		await this.#db.photos.where('form').equals(this.#form).delete();
	}
}
