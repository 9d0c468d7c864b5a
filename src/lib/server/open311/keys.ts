import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { open311Keys } from '../db/schema';

/**
 * Open311 API keys: a client POSTs with `api_key`. Admins issue keys in the app (only a hash is kept,
 * the key is shown once); keys listed in OPEN311_API_KEYS are accepted too.
 */
const hash = (key: string) => createHash('sha256').update(key).digest();

/** The holder of a valid key (its label, or `env` for an environment key), or null. */
export async function keyHolder(
	db: Db,
	envKeys: readonly string[],
	key: string | null
): Promise<string | null> {
	if (!key) return null;
	const digest = hash(key);
	if (envKeys.some((envKey) => timingSafeEqual(hash(envKey), digest))) return 'env';
	const [issued] = await db
		.select({ label: open311Keys.label })
		.from(open311Keys)
		.where(and(eq(open311Keys.keyHash, digest.toString('hex')), isNull(open311Keys.revokedAt)));
	return issued?.label ?? null;
}

export interface IssuedKey {
	id: string;
	label: string;
	createdAt: Date;
	revokedAt: Date | null;
}

/** A new key for `label`: the key itself is returned this once and never stored. */
export async function issueKey(
	db: Db,
	label: string,
	by: string
): Promise<{ key: string; issued: IssuedKey }> {
	const key = `o311_${randomBytes(24).toString('base64url')}`;
	const [issued] = await db
		.insert(open311Keys)
		.values({ id: randomUUID(), label, keyHash: hash(key).toString('hex'), createdBy: by })
		.returning({
			id: open311Keys.id,
			label: open311Keys.label,
			createdAt: open311Keys.createdAt,
			revokedAt: open311Keys.revokedAt
		});
	return { key, issued };
}

export async function listKeys(db: Db): Promise<IssuedKey[]> {
	return db
		.select({
			id: open311Keys.id,
			label: open311Keys.label,
			createdAt: open311Keys.createdAt,
			revokedAt: open311Keys.revokedAt
		})
		.from(open311Keys)
		.orderBy(desc(open311Keys.createdAt));
}

/** Revokes a key; true when there was a live key with that id. */
export async function revokeKey(db: Db, id: string, now = new Date()): Promise<boolean> {
	const revoked = await db
		.update(open311Keys)
		.set({ revokedAt: now })
		.where(and(eq(open311Keys.id, id), isNull(open311Keys.revokedAt)))
		.returning({ id: open311Keys.id });
	return revoked.length > 0;
}
