import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import Dexie from 'dexie';
import type { Actor } from '$lib/domain';
import type { Locale } from '$lib/i18n';
import { openDeviceDb, recordTable, type DeviceDb, type StoredRecord } from '$lib/client/db';
import { rememberActor } from '$lib/client/identity';
import type { Clock } from '$lib/client/sync/environment';
import { processLock } from '$lib/client/sync/lock';
import { SyncRunner } from '$lib/client/sync/runner';
import type { SessionUser } from '$lib/server/auth/session';
import type { Database } from '$lib/server/db';
import { pullPage } from '$lib/server/sync/pull';
import { collectionNames, type CollectionName } from '$lib/sync/collections';
import { protocolVersion, schemaVersion } from '$lib/sync/protocol';
import * as blobRoute from '../../src/routes/api/blobs/[sha256]/+server';
import * as pullRoute from '../../src/routes/api/sync/pull/+server';
import * as pushRoute from '../../src/routes/api/sync/push/+server';
import type { District, Person } from './sync-fixtures';

/**
 * Devices against the real server code in one Node process: the device's own Dexie database (over
 * fake-indexeddb), recordMutation and SyncRunner, with a `fetch` that hands each request to the real
 * `+server.ts` handlers of the sync API and the blob store, so bodies, status codes and error bodies are
 * the server's own. Left out: the HTTP server, cookies and hooks (the session's user is set as
 * `hooks.server.ts` would set it). The routes reach the database through `getApp()`: a spec using this
 * mocks `$lib/server/app` with served-app.ts, so that PGlite and PostgreSQL can both serve in one file.
 */
export { served, stopServing } from './served-app';

type Handler = (event: RequestEvent) => Promise<Response>;

const routes: [RegExp, Record<string, unknown>][] = [
	[/^\/api\/sync\/push$/, pushRoute],
	[/^\/api\/sync\/pull$/, pullRoute],
	[/^\/api\/blobs\/(?<sha256>[^/]+)$/, blobRoute]
];

/** A `fetch` into the real route handlers, as `user` signed in with `locale`. */
export function serverFetch(user: SessionUser, locale: Locale = 'en'): typeof fetch {
	return async (input, init) => {
		const request = new Request(input, init);
		const url = new URL(request.url);
		for (const [pattern, module] of routes) {
			const match = pattern.exec(url.pathname);
			const handler = match && (module[request.method] as Handler | undefined);
			if (!match || !handler) continue;
			const locals = { user, sessionId: null, requestId: `req-${randomUUID()}`, locale };
			const event = { request, url, params: { ...match.groups }, locals };
			return handler(event as unknown as RequestEvent);
		}
		return Response.json({ code: 'NOT_FOUND' }, { status: 404 });
	};
}

export function sessionUser(d: District, person: Person): SessionUser {
	return { ...d.users[person], scope: d.actors[person].scope };
}

/** A device clock `offsetMs` away from the real one; its timers are the real ones. */
export function skewedClock(offsetMs: number): Clock {
	return {
		now: () => Date.now() + offsetMs,
		setTimeout: (callback, ms) => setTimeout(callback, ms),
		clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
	};
}

const opened: DeviceDb[] = [];

export interface TestDevice {
	db: DeviceDb;
	runner: SyncRunner;
	/** The device's idea of now. */
	now(): Date;
}

/** A signed-in device with its own database and clock; the test drives its runner (never started). */
export async function openDevice(
	actor: Actor,
	serverFetch: typeof fetch,
	{
		clock = skewedClock(0),
		name = `integration-device-${randomUUID()}`
	}: { clock?: Clock; name?: string } = {}
): Promise<TestDevice> {
	const db = openDeviceDb(name);
	opened.push(db);
	await rememberActor(db, actor);
	const runner = new SyncRunner({
		db,
		fetch: serverFetch,
		baseUrl: 'http://gridwalk.test',
		lock: processLock(),
		clock,
		pollMs: 0
	});
	return { db, runner, now: () => new Date(clock.now()) };
}

/** Closes and deletes every device database the spec opened. */
export async function closeDevices(): Promise<void> {
	const names = new Set(opened.map((db) => db.name));
	for (const db of opened.splice(0)) db.close();
	for (const name of names) await Dexie.delete(name);
}

type Holdings = Record<CollectionName, StoredRecord[]>;

const keyOf = (record: StoredRecord) => `${String(record.id)}/${String(record.version ?? '')}`;
const byKey = (a: StoredRecord, b: StoredRecord) => keyOf(a).localeCompare(keyOf(b));

/** Every synced record a device holds, by collection, in a stable order. */
export async function deviceRecords(db: DeviceDb): Promise<Holdings> {
	const entries = await Promise.all(
		collectionNames.map(async (c) => [c, (await recordTable(db, c).toArray()).sort(byKey)] as const)
	);
	return Object.fromEntries(entries) as Holdings;
}

/** What the server gives this person from scratch (a fresh device's first sync), in the same form. */
export async function serverRecords(database: Database, actor: Actor): Promise<Holdings> {
	const held = new Map<string, { collection: CollectionName; record: StoredRecord }>();
	const clientGroupId = `fresh-${randomUUID()}`;
	let cursor: string | null = null;
	for (;;) {
		const page = await pullPage(database.db, actor, {
			protocolVersion,
			schemaVersion,
			clientGroupId,
			cursor,
			limit: 1000
		});
		for (const change of page.changes) {
			const key = `${change.collection}/${change.op === 'put' ? keyOf(change.record) : change.id}`;
			if (change.op === 'put') held.set(key, { collection: change.collection, record: change.record });
		}
		cursor = page.cursor;
		if (!page.hasMore) break;
	}
	const holdings = Object.fromEntries(collectionNames.map((c) => [c, [] as StoredRecord[]])) as Holdings;
	for (const { collection, record } of held.values()) holdings[collection].push(record);
	for (const c of collectionNames) holdings[c].sort(byKey);
	return holdings;
}
