import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import Dexie from 'dexie';
import type { Actor } from '$lib/domain';
import { openDeviceDb, recordTable, type DeviceDb } from '$lib/client/db';
import { clientIdentity, rememberActor } from '$lib/client/identity';
import { recordMutation } from '$lib/client/outbox';
import { LocalRefusal } from '$lib/client/refusal';
import { processLock } from '$lib/client/sync/lock';
import { SyncRunner, type SyncResult } from '$lib/client/sync/runner';
import { collectionNames, type CollectionName } from '$lib/sync/collections';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32: a small seeded generator, so every device's choices repeat for a given seed. */
export function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		let t = (state += 0x6d2b79f5);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** One browser's cookies for one origin-less test: the session cookie login sets, sent back on every request. */
export class CookieJar {
	readonly #cookies = new Map<string, string>();

	fetch: typeof fetch = async (input, init) => {
		const headers = new Headers(init?.headers);
		if (this.#cookies.size) {
			headers.set('cookie', [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '));
		}
		const response = await fetch(input, { ...init, headers });
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const at = pair.indexOf('=');
			const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
			if (value) this.#cookies.set(name, value);
			else this.#cookies.delete(name);
		}
		return response;
	};
}

export type SignedInActor = Actor & { username: string };

/** Logs in (retrying while the server restarts) and returns the person as `/api/auth/me` describes them. */
export async function signIn(
	jar: CookieJar,
	serverUrl: string,
	username: string,
	password: string
): Promise<SignedInActor> {
	for (let attempt = 1; ; attempt++) {
		try {
			const login = await jar.fetch(`${serverUrl}/api/auth/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username, password })
			});
			if (!login.ok) throw new Error(`login as ${username}: ${login.status} ${await login.text()}`);
			const me = await jar.fetch(`${serverUrl}/api/auth/me`);
			if (!me.ok) throw new Error(`me as ${username}: ${me.status}`);
			return (await me.json()) as SignedInActor;
		} catch (error) {
			if (attempt >= 40) throw error;
			await sleep(250);
		}
	}
}

/** A mutation the device queued (it passed the device's own checks and got the next mutation id). */
export interface MadeMutation {
	id: number;
	name: string;
	collection: CollectionName;
	recordId: string;
	args: unknown;
}

interface Tab {
	db: DeviceDb;
	runner: SyncRunner;
}

let databases = 0;

/**
 * A simulated phone: its own Dexie database (one connection per tab), its own cookie jar, and one
 * SyncRunner per tab that the test triggers at random moments (no timers: `start()` is never called).
 */
export class SimDevice {
	readonly jar = new CookieJar();
	readonly tabs: Tab[] = [];
	readonly made: MadeMutation[] = [];
	readonly localRefusals: Record<string, number> = {};
	readonly syncs: Record<string, number> = {};
	readonly #background = new Set<Promise<unknown>>();
	readonly dbName = `faults-device-${++databases}`;
	actor!: SignedInActor;
	clientId!: string;

	constructor(
		readonly label: string,
		readonly username: string,
		readonly random: () => number,
		private readonly tabCount = 1
	) {}

	get db(): DeviceDb {
		return this.tabs[0].db;
	}

	async signIn(serverUrl: string, password: string, syncUrl: string): Promise<void> {
		this.actor = await signIn(this.jar, serverUrl, this.username, password);
		const lock = processLock();
		for (let i = 0; i < this.tabCount; i++) {
			const db = openDeviceDb(this.dbName);
			const runner = new SyncRunner({
				db,
				fetch: this.jar.fetch,
				baseUrl: syncUrl,
				lock,
				random: this.random,
				pollMs: 0,
				pullLimit: 1000,
				requestTimeoutMs: 20_000
			});
			this.tabs.push({ db, runner });
		}
		await rememberActor(this.db, this.actor);
		this.clientId = (await clientIdentity(this.db)).clientId;
	}

	/** A tab chosen at random: with two tabs, both write and sync. */
	tab(): Tab {
		return this.tabs[Math.floor(this.random() * this.tabs.length)];
	}

	/** Saves a change on the device; false when the device itself refuses it (nothing queued). */
	async record(name: string, args: unknown, tab = this.tab()): Promise<boolean> {
		try {
			const entry = await recordMutation(tab.db, name, args);
			this.made.push({ id: entry.id, name, collection: entry.collection, recordId: entry.recordId, args });
			return true;
		} catch (error) {
			if (!(error instanceof LocalRefusal)) throw error;
			const key = `${name} ${error.code}`;
			this.localRefusals[key] = (this.localRefusals[key] ?? 0) + 1;
			return false;
		}
	}

	async sync(tab = this.tab()): Promise<SyncResult> {
		const result = await tab.runner.sync();
		const outcome = result.ok ? 'ok' : result.error.code;
		this.syncs[outcome] = (this.syncs[outcome] ?? 0) + 1;
		return result;
	}

	/** Starts a sync without waiting for it, as a trigger in the app would. */
	syncInBackground(): void {
		const run = this.sync().finally(() => this.#background.delete(run));
		this.#background.add(run);
	}

	async settle(): Promise<void> {
		await Promise.all(this.#background);
	}

	async close(): Promise<void> {
		await this.settle();
		for (const { db, runner } of this.tabs.splice(0)) {
			runner.stop();
			db.close();
		}
		await Dexie.delete(this.dbName);
	}
}

/** Every synced collection of a device as `key -> canonical JSON` (key: id, or id@version for templates). */
export type Snapshot = Record<CollectionName, Map<string, string>>;

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, inner) =>
		inner && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner
	);
}

export async function snapshot(db: DeviceDb): Promise<Snapshot> {
	const entries = await Promise.all(
		collectionNames.map(async (collection) => {
			const rows = await recordTable(db, collection).toArray();
			const keyed = rows.map((row) => {
				const key = collection === 'checklistTemplate' ? `${row.id}@${row.version}` : String(row.id);
				return [key, canonicalJson(row)] as const;
			});
			return [collection, new Map(keyed.sort(([a], [b]) => (a < b ? -1 : 1)))] as const;
		})
	);
	return Object.fromEntries(entries) as Snapshot;
}

/** One hash per collection: records sorted by key, each as canonical JSON. */
export function contentHashes(shot: Snapshot): Record<CollectionName, string> {
	return Object.fromEntries(
		collectionNames.map((collection) => {
			const hash = createHash('sha256');
			for (const [key, json] of shot[collection]) hash.update(`${key}\n${json}\n`);
			return [collection, hash.digest('hex').slice(0, 16)];
		})
	) as Record<CollectionName, string>;
}

/** Where two snapshots differ, a few lines per collection, to read when hashes do not match. */
export function differences(a: Snapshot, b: Snapshot, limit = 3): string[] {
	const found: string[] = [];
	for (const collection of collectionNames) {
		const lines: string[] = [];
		for (const [key, json] of a[collection]) {
			const other = b[collection].get(key);
			if (other === undefined) lines.push(`${collection} ${key} only on the first`);
			else if (other !== json) lines.push(`${collection} ${key} differs:\n  ${json}\n  ${other}`);
		}
		for (const key of b[collection].keys()) {
			if (!a[collection].has(key)) lines.push(`${collection} ${key} only on the second`);
		}
		found.push(...lines.slice(0, limit));
		if (lines.length > limit) found.push(`${collection}: ${lines.length - limit} more`);
	}
	return found;
}
