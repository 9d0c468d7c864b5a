import type { DeviceDb, MetaEntry, MetaKey, MetaValues } from './db';

/** Reads one fact about the device; joins the caller's transaction when there is one. */
export async function readMeta<K extends MetaKey>(db: DeviceDb, key: K): Promise<MetaValues[K] | undefined> {
	const entry = await db.meta.get(key);
	return entry?.value as MetaValues[K] | undefined;
}

export async function writeMeta<K extends MetaKey>(
	db: DeviceDb,
	key: K,
	value: MetaValues[K]
): Promise<void> {
	await db.meta.put({ key, value } as MetaEntry);
}

export async function deleteMeta(db: DeviceDb, key: MetaKey): Promise<void> {
	await db.meta.delete(key);
}
