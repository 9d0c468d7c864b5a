// The device's own code (Dexie database, outbox, photos, SyncRunner) in a page served under the app's
// origin, driven by Playwright through `window.device`: real IndexedDB, real Web Locks, real fetch with the
// session cookie. Every function takes and returns plain data, as `page.evaluate` needs.
import { liveQuery } from 'dexie';
import type { Actor } from '$lib/domain';
import { openDeviceDb, recordTable, type DeviceDb, type StoredRecord } from '$lib/client/db';
import { rememberActor } from '$lib/client/identity';
import { readMeta } from '$lib/client/meta';
import { recordMutation } from '$lib/client/outbox';
import { preparePhoto, refOf } from '$lib/client/photos';
import { clientErrorMessage, LocalRefusal } from '$lib/client/refusal';
import { SyncRunner, type SyncResult } from '$lib/client/sync/runner';
import type { CollectionName } from '$lib/sync/collections';

/** A sync as this tab saw it: when it was asked for, and when it held the sync lock. */
export interface SyncSpan {
	askedAt: number;
	startedAt: number | null;
	endedAt: number | null;
}

/** What a refused write tells the person, in both languages. */
export interface Refused {
	code: string;
	zh: string;
	en: string;
}

export type Recorded = { ok: true; id: number } | { ok: false; refused: Refused };

let db: DeviceDb | null = null;
let runner: SyncRunner | null = null;
/** Intervals in which this tab's runner reported `syncing` (it reports so only while holding the lock). */
const spans: { startedAt: number; endedAt: number | null }[] = [];
const asked: number[] = [];
const seen = new Map<CollectionName, string[]>();

function opened(): { db: DeviceDb; runner: SyncRunner } {
	if (!db || !runner) throw new Error('call device.open() first');
	return { db, runner };
}

function refusedOf(error: unknown): Refused {
	if (!(error instanceof LocalRefusal)) throw error;
	return { code: error.code, zh: clientErrorMessage('zh-CN', error), en: clientErrorMessage('en', error) };
}

/** Opens the device database and a runner over it; `delayMs` slows every request, widening races. */
function open(name: string, { delayMs = 0 }: { delayMs?: number } = {}): void {
	db = openDeviceDb(name);
	runner = new SyncRunner({
		db,
		debounceMs: 50,
		pollMs: 0,
		fetch: async (input, init) => {
			if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
			return fetch(input, init);
		},
		status: {
			report(patch) {
				if (patch.syncing === true) spans.push({ startedAt: Date.now(), endedAt: null });
				if (patch.syncing === false && spans.length) spans[spans.length - 1].endedAt = Date.now();
			}
		}
	});
}

/** Remembers the person the session cookie belongs to, as the app does after logging in. */
async function signIn(): Promise<Actor> {
	const response = await fetch('/api/auth/me');
	if (!response.ok) throw new Error(`/api/auth/me answered ${response.status}`);
	const actor = (await response.json()) as Actor;
	await rememberActor(opened().db, actor);
	return actor;
}

/** Follows a collection through liveQuery, as a list on screen would: what this tab sees right now. */
function watch(collection: CollectionName): void {
	liveQuery(() => recordTable(opened().db, collection).toCollection().primaryKeys()).subscribe({
		next: (ids) => seen.set(collection, ids.map(String)),
		error: (error: unknown) => console.error('liveQuery failed', error)
	});
}

function seenIds(collection: CollectionName): string[] {
	return seen.get(collection) ?? [];
}

async function record(name: string, args: unknown): Promise<Recorded> {
	try {
		return { ok: true, id: (await recordMutation(opened().db, name, args)).id };
	} catch (error) {
		return { ok: false, refused: refusedOf(error) };
	}
}

/** A camera-sized JPEG of noise (which compresses badly, as photos do), made the way the app resizes photos. */
async function noisePhoto(width: number, height: number): Promise<Blob> {
	const canvas = new OffscreenCanvas(width, height);
	const context = canvas.getContext('2d')!;
	const pixels = context.createImageData(width, height);
	for (let at = 0; at < pixels.data.length; at += 65_536) {
		crypto.getRandomValues(pixels.data.subarray(at, at + 65_536));
	}
	for (let at = 3; at < pixels.data.length; at += 4) pixels.data[at] = 255;
	context.putImageData(pixels, 0, 0);
	return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
}

/** A new record with a new photo of `width` × `height` pixels: both saved in one transaction, or neither. */
async function recordWithPhoto(
	name: string,
	args: Record<string, unknown>,
	size: { width: number; height: number }
): Promise<Recorded & { sha256: string; bytes: number }> {
	const photo = await preparePhoto(await noisePhoto(size.width, size.height), size);
	const withPhoto = { ...args, photos: [refOf(photo)] };
	try {
		const entry = await recordMutation(opened().db, name, withPhoto, { photos: [photo] });
		return { ok: true, id: entry.id, sha256: photo.sha256, bytes: photo.bytes };
	} catch (error) {
		return { ok: false, refused: refusedOf(error), sha256: photo.sha256, bytes: photo.bytes };
	}
}

/** What the browser says this origin stores and may store. */
async function storageEstimate(): Promise<{ usage: number; quota: number }> {
	const { usage = 0, quota = 0 } = await navigator.storage.estimate();
	return { usage, quota };
}

function start(): Promise<SyncResult> {
	asked.push(Date.now());
	return opened().runner.start();
}

function sync(): Promise<SyncResult> {
	asked.push(Date.now());
	return opened().runner.sync();
}

function stop(): void {
	opened().runner.stop();
}

/** This tab's syncs: when each was asked for, and when each held the lock. */
function syncs(): { asked: number[]; spans: typeof spans } {
	return { asked, spans };
}

async function get(collection: CollectionName, id: string): Promise<StoredRecord | null> {
	return (await recordTable(opened().db, collection).get(id)) ?? null;
}

async function where(collection: CollectionName, index: string, value: string): Promise<StoredRecord[]> {
	return recordTable(opened().db, collection).where(index).equals(value).toArray();
}

/** The device's queues and counters. */
async function queues() {
	const { db } = opened();
	return {
		outbox: (await db.outbox.toArray()).map(({ id, name, recordId }) => ({ id, name, recordId })),
		rejected: (await db.rejected.toArray()).map(({ id, code, message }) => ({ id, code, message })),
		photos: (await db.photos.toArray()).map(({ sha256, bytes, uploaded }) => ({ sha256, bytes, uploaded })),
		nextMutationId: (await readMeta(db, 'nextMutationId')) ?? 1,
		acknowledged: (await readMeta(db, 'acknowledgedMutationId')) ?? 0
	};
}

function close(): void {
	runner?.stop();
	db?.close();
}

const device = {
	open,
	signIn,
	watch,
	seenIds,
	record,
	recordWithPhoto,
	storageEstimate,
	start,
	sync,
	stop,
	syncs,
	get,
	where,
	queues,
	close
};
export type DeviceHarness = typeof device;

declare global {
	interface Window {
		device: DeviceHarness;
	}
}

window.device = device;
