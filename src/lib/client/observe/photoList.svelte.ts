import { maxPhotosPerRecord, type PhotoRef } from '$lib/domain';
import type { PhotoEntry } from '../db';
import { preparePhoto, refOf } from '../photos';
import { LocalRefusal } from '../refusal';
import { photoFileProblem, type PhotoFileProblem } from '../resize/fit';
import { PhotoUnreadable, resizePhoto } from '../resize/resize';

/** A photo on the form, with the object URL its thumbnail shows (revoked when it leaves the form). */
export interface PhotoItem {
	entry: PhotoEntry;
	url: string;
}

/** Why a picked file was not added, told next to the photos. */
export interface PhotoProblem {
	kind: PhotoFileProblem | 'unreadable' | 'tooMany';
	name: string;
	size: number;
}

/**
 * The photos of a form being filled in: each picked file is checked, resized in the worker and hashed,
 * one at a time (a dozen 12-megapixel decodes at once would exhaust a cheap phone's memory).
 */
export class PhotoList {
	// Raw: the entries go to IndexedDB, which cannot clone a state proxy.
	#items = $state.raw<PhotoItem[]>([]);
	#processing = $state(0);
	#problems = $state.raw<PhotoProblem[]>([]);
	readonly #hooks: { added?(entry: PhotoEntry): void; removed?(sha256: string): void };

	constructor(hooks: { added?(entry: PhotoEntry): void; removed?(sha256: string): void } = {}) {
		this.#hooks = hooks;
	}

	get items(): PhotoItem[] {
		return this.#items;
	}
	/** How many picked files are still being prepared. */
	get processing(): number {
		return this.#processing;
	}
	get problems(): PhotoProblem[] {
		return this.#problems;
	}
	get refs(): PhotoRef[] {
		return this.#items.map((item) => refOf(item.entry));
	}
	get entries(): PhotoEntry[] {
		return this.#items.map((item) => item.entry);
	}
	get full(): boolean {
		return this.#items.length + this.#processing >= maxPhotosPerRecord;
	}

	async add(files: readonly File[]): Promise<void> {
		const problems: PhotoProblem[] = [];
		const room = maxPhotosPerRecord - this.#items.length - this.#processing;
		const accepted: File[] = [];
		for (const file of files) {
			const problem = photoFileProblem(file);
			if (problem) problems.push({ kind: problem, name: file.name, size: file.size });
			else if (accepted.length < room) accepted.push(file);
			else problems.push({ kind: 'tooMany', name: file.name, size: file.size });
		}
		this.#problems = problems;
		this.#processing += accepted.length;
		for (const file of accepted) {
			try {
				const resized = await resizePhoto(file);
				const entry = await preparePhoto(resized.blob, resized);
				if (!this.#items.some((item) => item.entry.sha256 === entry.sha256)) {
					this.#items = [...this.#items, { entry, url: URL.createObjectURL(entry.blob) }];
					this.#hooks.added?.(entry);
				}
			} catch (error) {
				if (!(error instanceof PhotoUnreadable || error instanceof LocalRefusal)) throw error;
				this.#problems = [...this.#problems, { kind: 'unreadable', name: file.name, size: file.size }];
			} finally {
				this.#processing--;
			}
		}
	}

	remove(sha256: string): void {
		const item = this.#items.find((i) => i.entry.sha256 === sha256);
		if (!item) return;
		URL.revokeObjectURL(item.url);
		this.#items = this.#items.filter((i) => i !== item);
		this.#problems = [];
		this.#hooks.removed?.(sha256);
	}

	/** Puts back the photos of a draft. */
	restore(entries: readonly PhotoEntry[]): void {
		this.clear();
		this.#items = entries.map((entry) => ({ entry, url: URL.createObjectURL(entry.blob) }));
	}

	/** Empties the list and lets the browser free the thumbnails. */
	clear(): void {
		for (const item of this.#items) URL.revokeObjectURL(item.url);
		this.#items = [];
		this.#problems = [];
	}
}
