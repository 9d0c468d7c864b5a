import { Refusal } from './refusal';
import type { PushStore } from './storage';

/** The content hashes of every photo a record refers to, wherever it nests (answers, events …). */
export function photoHashes(value: unknown, found = new Set<string>()): Set<string> {
	if (Array.isArray(value)) {
		for (const item of value) photoHashes(item, found);
	} else if (value && typeof value === 'object') {
		// Records are schema-checked first, so a `sha256` string only ever sits in a photo reference.
		const { sha256 } = value as { sha256?: unknown };
		if (typeof sha256 === 'string') found.add(sha256);
		else for (const inner of Object.values(value)) photoHashes(inner, found);
	}
	return found;
}

/** Devices upload photos before the mutation that names them; a record may not point at missing bytes. */
export async function requirePhotos(store: PushStore, record: unknown): Promise<void> {
	const wanted = [...photoHashes(record)];
	if (wanted.length === 0) return;
	if (!(await store.hasPhotos(wanted))) throw new Refusal('MISSING_PHOTO', 'sync.rejected.missingPhoto');
}
