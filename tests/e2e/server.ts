import { expect, type APIRequestContext } from '@playwright/test';
import { v7 as uuidv7 } from 'uuid';
import { protocolVersion, schemaVersion, type PullResponse } from '$lib/sync/protocol';
import { demoPassword } from './fixtures';

// What the server holds, read as a fresh device of the request's signed-in person pulls it.

/** Everything the person may see, from scratch, as a fresh device pulls it. */
export async function pullEverything(request: APIRequestContext) {
	const changes: PullResponse['changes'] = [];
	const clientGroupId = `check-${uuidv7().replaceAll('-', '')}`;
	let cursor: string | null = null;
	for (;;) {
		const response = await request.post('/api/sync/pull', {
			data: { protocolVersion, schemaVersion, clientGroupId, cursor, limit: 1000 }
		});
		expect(response.status()).toBe(200);
		const page = (await response.json()) as PullResponse;
		changes.push(...page.changes);
		cursor = page.cursor;
		if (!page.hasMore) return changes;
	}
}

/** The server's copies of a collection's records, by id (only the ones the person may see). */
export async function serverRecords<T = Record<string, unknown>>(
	request: APIRequestContext,
	collection: string
): Promise<Map<string, T>> {
	const records = new Map<string, T>();
	for (const change of await pullEverything(request)) {
		if (change.collection !== collection) continue;
		if (change.op === 'put') records.set(change.id, change.record as T);
		else records.delete(change.id);
	}
	return records;
}

/**
 * The status admin gets for a photo: 200 once the server holds it and a record showing it (admin may read
 * a photo only through such a record). Signs the request context in as admin.
 */
export async function adminSeesPhoto(request: APIRequestContext, sha256: string): Promise<number> {
	const login = await request.post('/api/auth/login', {
		data: { username: 'admin', password: demoPassword }
	});
	expect(login.status()).toBe(200);
	return (await request.get(`/api/blobs/${sha256}`)).status();
}
