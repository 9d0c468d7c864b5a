import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceDb, PhotoEntry } from '../db';
import { LocalRefusal } from '../refusal';
import { PatrolSaver, type PatrolChanges } from './saver';

const db = {} as DeviceDb;
const id = '00000000-0000-7000-8000-000000000001';
const photo = (c: string): PhotoEntry => ({
	sha256: c.repeat(64),
	mime: 'image/jpeg',
	bytes: 100,
	width: 10,
	height: 10,
	blob: new Blob(['x']),
	uploaded: false
});
const ref = ({ sha256, mime, bytes, width, height }: PhotoEntry) => ({ sha256, mime, bytes, width, height });

describe('PatrolSaver', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	function saver(fail: () => boolean = () => false) {
		const recorded: { args: { id: string; changes: PatrolChanges }; photos: string[] }[] = [];
		const pending: PatrolChanges[] = [];
		const errors: unknown[] = [];
		const record = vi.fn(
			async (_db: DeviceDb, _name: string, args: unknown, options?: { photos?: readonly PhotoEntry[] }) => {
				if (fail()) throw new LocalRefusal('STORAGE_FULL', 'full');
				recorded.push({
					args: args as { id: string; changes: PatrolChanges },
					photos: (options?.photos ?? []).map((p) => p.sha256[0])
				});
				return {} as never;
			}
		);
		const s = new PatrolSaver(db, id, {
			delayMs: 1000,
			record,
			onpending: (changes) => pending.push(changes),
			onerror: (error) => errors.push(error)
		});
		return { s, recorded, pending, errors };
	}

	it('debounces typing into one update with the latest value of each field', async () => {
		const { s, recorded, pending } = saver();
		s.change({ answers: [{ key: 'notes', value: 'a', photos: [] }] });
		await vi.advanceTimersByTimeAsync(500);
		s.change({ answers: [{ key: 'notes', value: 'ab', photos: [] }] });
		s.change({ track: [{ lat: 1, lng: 2, t: '2026-11-25T08:00:00Z' }] });
		await vi.advanceTimersByTimeAsync(900);
		expect(recorded).toEqual([]);
		await vi.advanceTimersByTimeAsync(200);
		expect(recorded).toEqual([
			{
				args: {
					id,
					changes: {
						answers: [{ key: 'notes', value: 'ab', photos: [] }],
						track: [{ lat: 1, lng: 2, t: '2026-11-25T08:00:00Z' }]
					}
				},
				photos: []
			}
		]);
		// The pending changes were told as they grew, and cleared once recorded.
		expect(pending.at(-1)).toEqual({});
		expect(s.pending).toEqual({});
	});

	it('records at once a change with photos or a status', async () => {
		const { s, recorded } = saver();
		const a = photo('a');
		const b = photo('b');
		s.change({ answers: [{ key: 'p', value: null, photos: [ref(a)] }] }, [a]);
		await s.flush();
		s.change({ answers: [{ key: 'p', value: null, photos: [ref(b)] }] }, [b]);
		s.change({ answers: [{ key: 'p', value: null, photos: [] }] });
		await s.flush();
		s.change({ status: 'submitted', finishedAt: '2026-11-25T09:00:00Z' });
		await s.flush();
		expect(recorded.map((r) => r.photos)).toEqual([['a'], ['b'], [], []]);
		expect(recorded[3].args.changes).toEqual({ status: 'submitted', finishedAt: '2026-11-25T09:00:00Z' });
	});

	it('a retry leaves out a photo removed meanwhile', async () => {
		let full = true;
		const { s, recorded } = saver(() => full);
		const a = photo('a');
		s.change({ answers: [{ key: 'p', value: null, photos: [ref(a)] }] }, [a]);
		await s.flush();
		full = false;
		s.change({ answers: [{ key: 'p', value: null, photos: [] }] });
		await s.flush();
		expect(recorded).toEqual([
			{ args: { id, changes: { answers: [{ key: 'p', value: null, photos: [] }] } }, photos: [] }
		]);
	});

	it('a refused save keeps the changes for the next try and says so', async () => {
		let full = true;
		const { s, recorded, errors } = saver(() => full);
		s.change({ answers: [] });
		await s.flush();
		expect(errors).toHaveLength(1);
		expect(s.pending).toEqual({ answers: [] });
		full = false;
		s.change({ gridId: null });
		await s.flush();
		expect(recorded.map((r) => r.args.changes)).toEqual([{ answers: [], gridId: null }]);
	});
});
