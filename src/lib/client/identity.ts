import type { Actor } from '$lib/domain';
import { syncedTables, type DeviceDb, type MetaKey } from './db';
import { newClientKey } from './ids';
import { deleteMeta, readMeta, writeMeta } from './meta';
import { LocalRefusal } from './refusal';

export interface ClientIdentity {
	clientGroupId: string;
	clientId: string;
}

/** The profile's client group and the device's mutation sequence, made on first use. */
export function clientIdentity(db: DeviceDb): Promise<ClientIdentity> {
	return db.transaction('rw', db.meta, async () => ({
		clientGroupId: await keyOnce(db, 'clientGroupId'),
		clientId: await keyOnce(db, 'clientId')
	}));
}

async function keyOnce(db: DeviceDb, key: 'clientGroupId' | 'clientId'): Promise<string> {
	const known = await readMeta(db, key);
	if (known) return known;
	const made = newClientKey();
	await writeMeta(db, key, made);
	return made;
}

/** What the device knows about its sync with the server; forgotten when another person signs in. */
const syncState: MetaKey[] = [
	'clientGroupId',
	'clientId',
	'nextMutationId',
	'acknowledgedMutationId',
	'cursor',
	'lastSyncAt',
	'lastError'
];

/**
 * Remembers who is signed in. When another person signs in on this profile the device starts clean
 * (new client ids, data pulled again for their scope), but never while the previous person's work
 * waits in the outbox (the server credits a mutation to whoever's session pushes it) or in "needs attention".
 * True when it cleared the previous person's rows.
 */
export async function rememberActor(db: DeviceDb, actor: Actor): Promise<boolean> {
	return db.transaction('rw', [db.meta, db.outbox, db.rejected, db.base, ...syncedTables(db)], async () => {
		const previous = await readMeta(db, 'actor');
		if (previous && previous.id !== actor.id) {
			if ((await db.outbox.count()) > 0) {
				throw new LocalRefusal(
					'OUTBOX_NOT_EMPTY',
					'Changes saved on this device by the previous user have not synced yet.'
				);
			}
			if ((await db.rejected.count()) > 0) {
				throw new LocalRefusal(
					'NEEDS_ATTENTION',
					'The previous user has refused changes on this device to look at first.'
				);
			}
			await Promise.all([...syncedTables(db), db.base].map((table) => table.clear()));
			for (const key of syncState) await deleteMeta(db, key);
		}
		await writeMeta(db, 'actor', actor);
		return !!previous && previous.id !== actor.id;
	});
}
