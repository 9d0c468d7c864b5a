import { maxPullLimit, protocolVersion, schemaVersion } from '$lib/sync/protocol';
import { replacedByNewerApp, type DeviceDb } from '../db';
import { clientIdentity, type ClientIdentity } from '../identity';
import { deleteMeta, readMeta, writeMeta } from '../meta';
import { nextBatch, toEnvelope, unacknowledged } from '../outbox';
import { markUploaded, photosToUpload } from '../photos';
import { SyncApi, SyncFailure } from './api';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff';
import { pageSignals, systemClock, type Clock, type PageSignals } from './environment';
import type { SyncError } from './events';
import { defaultLock, type SyncLock } from './lock';
import { applyPullPage } from './pullPage';
import { applyPushResponse } from './pushResults';
import type { SyncReporter } from './report';
import { deviceSummary } from './summary';

export interface SyncRunnerOptions {
	db: DeviceDb;
	fetch?: typeof fetch;
	/** '' in the browser; the server's origin when the runner works in Node. */
	baseUrl?: string;
	/** Web Locks by default, else one lock per database name in this realm. */
	lock?: SyncLock;
	clock?: Clock;
	random?: () => number;
	status?: SyncReporter;
	signals?: PageSignals;
	/** Wait after a local write before syncing, so a burst of writes goes in one sync. */
	debounceMs?: number;
	/** Pull again this long after a successful sync (0: only on other triggers). */
	pollMs?: number;
	backoff?: BackoffPolicy;
	requestTimeoutMs?: number;
	pullLimit?: number;
}

export type SyncResult = { ok: true; pushed: number; pulled: number } | { ok: false; error: SyncError };

/** Failures a retry cannot fix: they wait for the person (sign in, update the app) or for a fix. */
const waitsForPerson = new Set(['UNAUTHENTICATED', 'VERSION_NOT_SUPPORTED', 'MUTATION_GAP']);

const quietReporter: SyncReporter = { report: () => undefined };

/**
 * The device side of sync (DESIGN.md §3). One sync: upload the photos of the next batch, push batches in
 * id order, then pull pages until none are left. Syncs run one at a time across tabs (the lock); calls
 * during a sync are folded into one follow-up sync. Triggers after `start()`: start, `online`, the page
 * becoming visible, a local write (debounced), a timer (backoff after failures, then polling), and
 * `requestSync()` from the service worker.
 */
export class SyncRunner {
	readonly #db: DeviceDb;
	readonly #api: SyncApi;
	readonly #lock: SyncLock;
	readonly #clock: Clock;
	readonly #random: () => number;
	readonly #status: SyncReporter;
	readonly #signals: PageSignals;
	readonly #debounceMs: number;
	readonly #pollMs: number;
	readonly #backoff: BackoffPolicy;
	readonly #pullLimit: number;

	#started = false;
	#cleanups: (() => void)[] = [];
	#timer: unknown = null;
	#failures = 0;
	/** Set once the server refuses this app's protocol: nothing syncs until the app is updated. */
	#updateRequired: SyncError | null = null;
	#active: Promise<SyncResult> | null = null;
	#queued: Promise<SyncResult> | null = null;

	constructor(options: SyncRunnerOptions) {
		this.#db = options.db;
		this.#api = new SyncApi({
			fetch: options.fetch ?? ((input, init) => fetch(input, init)),
			baseUrl: options.baseUrl ?? '',
			timeoutMs: options.requestTimeoutMs ?? 30_000
		});
		this.#lock = options.lock ?? defaultLock();
		this.#clock = options.clock ?? systemClock;
		this.#random = options.random ?? Math.random;
		this.#status = options.status ?? quietReporter;
		this.#signals = options.signals ?? pageSignals();
		this.#debounceMs = options.debounceMs ?? 2_000;
		this.#pollMs = options.pollMs ?? 5 * 60_000;
		this.#backoff = options.backoff ?? defaultBackoff;
		this.#pullLimit = options.pullLimit ?? maxPullLimit;
	}

	/** Listens to the triggers and syncs now. */
	start(): Promise<SyncResult> {
		if (!this.#started) {
			this.#started = true;
			const { connectivity, visibility } = this.#signals;
			this.#listen(connectivity, 'online', () => {
				this.#status.report({ online: true });
				void this.sync();
			});
			this.#listen(connectivity, 'offline', () => this.#status.report({ online: false }));
			this.#listen(visibility, 'visibilitychange', () => {
				if (this.#signals.isVisible()) void this.sync();
			});
			this.#cleanups.push(
				this.#db.events.on('outbox:changed', ({ cause }) => {
					// During backoff a write waits for the retry timer rather than hammering a failing server.
					if (cause === 'recorded' && this.#failures === 0) this.#schedule(this.#debounceMs, true);
					void this.refreshStatus();
				})
			);
			this.#status.report({ online: this.#signals.isOnline() });
		}
		return this.sync();
	}

	/** Stops listening and cancels the timer; a sync under way finishes. */
	stop(): void {
		this.#started = false;
		for (const cleanup of this.#cleanups.splice(0)) cleanup();
		this.#cancelTimer();
	}

	/** Resolves once no sync is under way or queued (after `stop()`, so that none starts again). */
	async settled(): Promise<void> {
		while (this.#active || this.#queued) await (this.#queued ?? this.#active);
	}

	/** Syncs now, or once more right after the sync under way. Never rejects. */
	sync(): Promise<SyncResult> {
		if (!this.#active) return this.#begin();
		this.#queued ??= this.#active.then(() => {
			this.#queued = null;
			return this.#begin();
		});
		return this.#queued;
	}

	/**
	 * For the service worker's `sync` event (`event.waitUntil(runner.requestSync())`): rejects when the
	 * sync failed in a way a retry may fix, so the browser tries again later.
	 */
	async requestSync(): Promise<void> {
		const result = await this.sync();
		if (!result.ok && !waitsForPerson.has(result.error.code)) {
			throw new SyncFailure(result.error.code, result.error.message);
		}
	}

	/** Reads counts and "needs attention" from the device into the status. */
	async refreshStatus(): Promise<void> {
		try {
			this.#status.report(await deviceSummary(this.#db));
		} catch {
			// The database is closing (tab unloading, tests ending): the next refresh tells the truth.
		}
	}

	#begin(): Promise<SyncResult> {
		const run = this.#lock(`${this.#db.name}-sync`, () => this.#runOnce())
			.catch((error: unknown) => this.#failed(asFailure(error)))
			.finally(() => {
				this.#active = null;
			});
		this.#active = run;
		return run;
	}

	async #runOnce(): Promise<SyncResult> {
		if (this.#updateRequired) return { ok: false, error: this.#updateRequired };
		this.#cancelTimer();
		this.#status.report({ syncing: true, progress: null });
		try {
			const identity = await clientIdentity(this.#db);
			const pushed = await this.#pushAll(identity);
			const pulled = await this.#pullAll(identity);
			return await this.#succeeded(pushed, pulled);
		} catch (error) {
			return await this.#failed(asFailure(error));
		} finally {
			this.#status.report({ syncing: false, progress: null });
			await this.refreshStatus();
		}
	}

	/** Pushes every unacknowledged mutation, a batch at a time, each after the photos it refers to. */
	async #pushAll(identity: ClientIdentity): Promise<number> {
		const total = (await unacknowledged(this.#db)).length;
		let pushed = 0;
		for (let batch = await nextBatch(this.#db); batch.length > 0; batch = await nextBatch(this.#db)) {
			await this.#uploadPhotos(batch);
			const response = await this.#api.push({
				protocolVersion,
				schemaVersion,
				...identity,
				mutations: batch.map(toEnvelope)
			});
			const answer = await applyPushResponse(this.#db, batch, response, new Date(this.#clock.now()));
			this.#db.events.emit('outbox:changed', { cause: answer.rejected ? 'rejected' : 'acknowledged' });
			if (answer.acknowledged < batch[batch.length - 1].id) {
				throw new SyncFailure('BAD_RESPONSE', 'The server did not answer every mutation sent.');
			}
			pushed += batch.length;
			this.#status.report({ progress: { phase: 'push', done: pushed, total: Math.max(total, pushed) } });
		}
		return pushed;
	}

	/** Photos go up before the mutations that refer to them; the server checks they are there. */
	async #uploadPhotos(batch: { args: unknown }[]): Promise<void> {
		const photos = await photosToUpload(this.#db, batch);
		if (photos.length === 0) return;
		let bytesLeft = (await deviceSummary(this.#db)).bytesLeft;
		for (const photo of photos) {
			// A refused upload is left to the server's answer to the mutation (MISSING_PHOTO, needs attention).
			if ((await this.#api.hasBlob(photo.sha256)) || (await this.#api.putBlob(photo))) {
				await markUploaded(this.#db, photo.sha256);
			}
			bytesLeft -= photo.bytes;
			this.#status.report({ bytesLeft: Math.max(0, bytesLeft) });
		}
	}

	/** Pulls pages until the server has no more, each applied whole. */
	async #pullAll({ clientGroupId, clientId }: ClientIdentity): Promise<number> {
		let pulled = 0;
		for (;;) {
			const cursor = (await readMeta(this.#db, 'cursor')) ?? null;
			const page = await this.#api.pull({
				protocolVersion,
				schemaVersion,
				clientGroupId,
				clientId,
				cursor,
				limit: this.#pullLimit
			});
			if (page.hasMore && page.changes.length === 0 && !page.reset) {
				throw new SyncFailure('BAD_RESPONSE', 'The server said more changes follow but sent none.');
			}
			const { confirmed } = await applyPullPage(this.#db, page, { clientId });
			if (confirmed > 0) this.#db.events.emit('outbox:changed', { cause: 'confirmed' });
			pulled += page.changes.length;
			this.#status.report({ progress: { phase: 'pull', done: pulled, total: null } });
			if (!page.hasMore) return pulled;
		}
	}

	async #succeeded(pushed: number, pulled: number): Promise<SyncResult> {
		const at = new Date(this.#clock.now()).toISOString();
		await this.#db.transaction('rw', this.#db.meta, async () => {
			await writeMeta(this.#db, 'lastSyncAt', at);
			await deleteMeta(this.#db, 'lastError');
		});
		this.#failures = 0;
		this.#status.report({ online: true, loginRequired: false, lastError: null, lastSuccessAt: at });
		this.#db.events.emit('sync:done', { at, pushed, pulled });
		if (this.#pollMs > 0) this.#schedule(this.#pollMs, false);
		return { ok: true, pushed, pulled };
	}

	async #failed(failure: SyncFailure): Promise<SyncResult> {
		const error: SyncError = { code: failure.code, message: failure.message };
		// The database itself may be what failed; the status still shows the error.
		await writeMeta(this.#db, 'lastError', error).catch(() => undefined);
		const answered = failure.code !== 'NETWORK' && failure.code !== 'LOCAL';
		this.#status.report({
			lastError: error,
			...(failure.code === 'NETWORK' ? { online: false } : answered ? { online: true } : {})
		});
		if (failure.code === 'UNAUTHENTICATED') {
			this.#status.report({ loginRequired: true });
		} else if (failure.code === 'VERSION_NOT_SUPPORTED' || replacedByNewerApp(this.#db)) {
			// The server refuses this app's protocol, or a newer version of the app took over the device
			// database in another tab: retrying cannot help, reloading the page will.
			this.#updateRequired = error;
			this.#status.report({ updateRequired: true });
		} else if (!waitsForPerson.has(failure.code)) {
			this.#failures += 1;
			this.#schedule(backoffDelay(this.#failures, this.#backoff, this.#random), true);
		}
		this.#db.events.emit('sync:error', error);
		return { ok: false, error };
	}

	/** Sets the timer, only while started; without `replace` a timer already set stays. */
	#schedule(ms: number, replace: boolean): void {
		if (!this.#started || (this.#timer !== null && !replace)) return;
		this.#cancelTimer();
		this.#timer = this.#clock.setTimeout(() => {
			this.#timer = null;
			void this.sync();
		}, ms);
	}

	#cancelTimer(): void {
		if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
		this.#timer = null;
	}

	#listen(target: EventTarget | null, type: string, listener: () => void): void {
		if (!target) return;
		target.addEventListener(type, listener);
		this.#cleanups.push(() => target.removeEventListener(type, listener));
	}
}

/** Anything that is not a `SyncFailure` went wrong on the device (storage full, database closed …). */
function asFailure(error: unknown): SyncFailure {
	if (error instanceof SyncFailure) return error;
	const reason = error instanceof Error ? error.message : String(error);
	return new SyncFailure('LOCAL', `This device could not store what it synced: ${reason}`);
}
