import type { DeviceDb } from '../db';
import { readMeta } from '../meta';
import { unacknowledged } from '../outbox';
import { photosToUpload } from '../photos';
import { needsAttention } from '../rejected';
import type { SyncSnapshot } from './report';

export type DeviceSummary = Pick<
	SyncSnapshot,
	'pendingCount' | 'bytesLeft' | 'needsAttention' | 'lastSuccessAt' | 'lastError'
>;

/** What the device itself holds about sync: read at start, after every sync and after local writes. */
export async function deviceSummary(db: DeviceDb): Promise<DeviceSummary> {
	const pending = await unacknowledged(db);
	const [photos, rejected, lastSyncAt, lastError] = await Promise.all([
		photosToUpload(db, pending),
		needsAttention(db),
		readMeta(db, 'lastSyncAt'),
		readMeta(db, 'lastError')
	]);
	return {
		pendingCount: pending.length,
		bytesLeft: photos.reduce((sum, photo) => sum + photo.bytes, 0),
		needsAttention: rejected,
		lastSuccessAt: lastSyncAt ?? null,
		lastError: lastError ?? null
	};
}
