import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { PhotoEntry } from './db';
import { FormDraft, openDraftDb } from './drafts';

class MemoryStorage {
	readonly items = new Map<string, string>();
	full = false;
	getItem(key: string) {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string) {
		if (this.full) throw new DOMException('full', 'QuotaExceededError');
		this.items.set(key, value);
	}
	removeItem(key: string) {
		this.items.delete(key);
	}
}

const names: string[] = [];
function device() {
	const name = `drafts-${names.length}`;
	names.push(name);
	return { storage: new MemoryStorage(), db: openDraftDb(name) };
}
afterEach(async () => {
	for (const name of names.splice(0)) await Dexie.delete(name);
});

const photo = (letter: string): PhotoEntry => ({
	sha256: letter.repeat(64),
	mime: 'image/jpeg',
	bytes: 3,
	width: 10,
	height: 10,
	blob: new Blob([letter], { type: 'image/jpeg' }),
	uploaded: false
});

describe('FormDraft', () => {
	it('keeps the fields per form and person, with the time they were written', () => {
		const { storage, db } = device();
		const mine = new FormDraft('observe:me', { storage, db });
		const theirs = new FormDraft('observe:them', { storage, db });

		mine.write({ category: 'parking' }, new Date('2026-03-02T09:00:00Z'));

		expect(mine.read()).toEqual({ fields: { category: 'parking' }, savedAt: '2026-03-02T09:00:00.000Z' });
		expect(theirs.read()).toBeNull();
		expect([...storage.items.keys()]).toEqual(['gridwalk.draft.observe:me']);
	});

	it('reads nothing from a damaged entry, and a full storage costs only the draft', () => {
		const { storage, db } = device();
		const draft = new FormDraft('observe:me', { storage, db });
		storage.items.set('gridwalk.draft.observe:me', '{not json');
		expect(draft.read()).toBeNull();

		storage.full = true;
		expect(() => draft.write({ note: 'x' })).not.toThrow();
	});

	it('keeps the photos’ bytes, gives them back in the order asked, and forgets them on discard', async () => {
		const { storage, db } = device();
		const draft = new FormDraft('observe:me', { storage, db });
		const other = new FormDraft('observe:them', { storage, db });
		await draft.keepPhoto(photo('a'));
		await draft.keepPhoto(photo('b'));
		await other.keepPhoto(photo('a'));
		draft.write({ photos: ['b', 'a'] });

		const back = await draft.photos(['b'.repeat(64), 'c'.repeat(64), 'a'.repeat(64)]);
		expect(back.map((p) => p.sha256[0])).toEqual(['b', 'a']);
		expect(await back[0].blob.text()).toBe('b');

		await draft.dropPhoto('b'.repeat(64));
		expect((await draft.photos(['b'.repeat(64)])).length).toBe(0);

		await draft.discard();
		expect(draft.read()).toBeNull();
		expect(await draft.photos(['a'.repeat(64)])).toEqual([]);
		expect((await other.photos(['a'.repeat(64)])).length).toBe(1);
	});
});
