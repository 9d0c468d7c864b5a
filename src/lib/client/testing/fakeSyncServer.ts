import type { CaseRecord } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import { mergeFields, sameContent } from '$lib/sync/merge';
import { parseMutationName, type CaseAssignArgs, type CaseTransitionArgs } from '$lib/sync/mutations';
import {
	protocolVersion,
	pullRequest,
	pushRequest,
	type Change,
	type MutationEnvelope,
	type MutationResult,
	type PullResponse,
	type RejectionCode
} from '$lib/sync/protocol';
import { sha256Hex } from '../photos';

type StoredRecord = Record<string, unknown>;
interface Row {
	collection: CollectionName;
	id: string;
	record: StoredRecord | null;
	version: number;
}
interface Refusal {
	code: RejectionCode;
	message: string;
	current?: unknown;
}
/** `drop-request`: the request never arrives; `drop-response`: it is handled, the answer is lost. */
type Fault = 'drop-request' | 'drop-response' | number;

const json = (body: unknown, status = 200) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * An in-memory stand-in for the gridwalk server, for the device's unit tests ONLY: the sync contract of
 * DESIGN.md §3 (push with per-client last ids, versioned pull pages, reset, blobs) with none of the
 * real server's storage, sessions or scopes. The real server is proven by its own integration suite.
 */
export class FakeSyncServer {
	version = 0;
	readonly rows = new Map<string, Row>();
	readonly lastMutationIds = new Map<string, number>();
	readonly groups = new Map<string, Set<string>>();
	readonly blobs = new Map<string, Blob>();
	/** `METHOD /path` of every request that reached the server, in order. */
	readonly requests: string[] = [];
	/** How many times each client's mutation took effect (`clientId:id`): exactly once is the goal. */
	readonly effects = new Map<string, number>();
	signedIn = true;
	acceptedProtocol = protocolVersion;
	/** Records the session's user may no longer see (a scope change); pulls leave them out. */
	readonly hidden = new Set<string>();
	/** Client groups whose next pull from a cursor is answered with `reset: true`. */
	readonly resetGroups = new Set<string>();
	/** A refusal the test wants for a mutation, or null to apply it. */
	refuse: (mutation: MutationEnvelope) => Refusal | null = () => null;
	/** Runs when a request arrives, before it is handled: a test may write on the device meanwhile. */
	onRequest: (path: string) => Promise<void> | void = () => undefined;
	/** Rewrites a pull page before it is sent. */
	editPage: (page: PullResponse) => PullResponse = (page) => page;
	/** When true, every request fails as if the network were down. */
	unreachable = false;
	delayMs = 0;
	inFlight = 0;
	maxInFlight = 0;
	readonly #faults = new Map<string, Fault[]>();

	/** The next request to `path` fails this way. */
	failNext(path: string, fault: Fault): void {
		this.#faults.set(path, [...(this.#faults.get(path) ?? []), fault]);
	}

	/** Writes a record as another device or an admin would: a new version. */
	seed(collection: CollectionName, record: StoredRecord): void {
		this.#write(collection, String(record.id), record);
	}

	remove(collection: CollectionName, id: string): void {
		this.#write(collection, id, null);
	}

	get(collection: CollectionName, id: string): StoredRecord | null {
		return this.rows.get(`${collection}/${id}`)?.record ?? null;
	}

	/** Forgets what it knew of every client's mutations, as a server restored from an old backup would. */
	forgetClients(): void {
		this.lastMutationIds.clear();
	}

	fetch: typeof fetch = async (input, init = {}) => {
		const path = new URL(String(input), 'http://device.test').pathname;
		const method = init.method ?? 'GET';
		if (this.unreachable) throw new TypeError('fetch failed');
		const fault = this.#faults.get(path)?.shift();
		if (fault === 'drop-request') throw new TypeError('fetch failed');
		this.inFlight += 1;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			this.requests.push(`${method} ${path}`);
			await this.onRequest(path);
			if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
			if (typeof fault === 'number') return json({ code: `HTTP_${fault}`, message: 'injected' }, fault);
			const response = await this.#handle(method, path, init);
			if (fault === 'drop-response') throw new TypeError('fetch failed');
			return response;
		} finally {
			this.inFlight -= 1;
		}
	};

	async #handle(method: string, path: string, init: RequestInit): Promise<Response> {
		if (!this.signedIn) return json({ code: 'UNAUTHENTICATED', message: 'Please log in first.' }, 401);
		if (method === 'POST' && path === '/api/sync/push') return this.#push(JSON.parse(String(init.body)));
		if (method === 'POST' && path === '/api/sync/pull') return this.#pull(JSON.parse(String(init.body)));
		const blob = /^\/api\/blobs\/([0-9a-f]{64})$/.exec(path);
		if (blob && method === 'HEAD') return new Response(null, { status: this.blobs.has(blob[1]) ? 200 : 404 });
		if (blob && method === 'PUT') {
			const bytes = new Blob([init.body as Blob]);
			if ((await sha256Hex(await bytes.arrayBuffer())) !== blob[1]) return json({ code: 'BAD_HASH' }, 400);
			this.blobs.set(blob[1], bytes);
			return new Response(null, { status: 201 });
		}
		return json({ code: 'NOT_FOUND', message: path }, 404);
	}

	#push(body: unknown): Response {
		const request = pushRequest.parse(body);
		if (request.protocolVersion !== this.acceptedProtocol) {
			return json({ code: 'VERSION_NOT_SUPPORTED', message: 'Please update the app.' }, 409);
		}
		this.#join(request.clientGroupId, request.clientId);
		let last = this.lastMutationIds.get(request.clientId) ?? 0;
		const fresh = request.mutations.filter((mutation) => mutation.id > last);
		if (fresh.some((mutation, index) => mutation.id !== last + 1 + index)) {
			return json({ code: 'MUTATION_GAP', message: 'gap', expected: last + 1 }, 409);
		}
		const results: MutationResult[] = request.mutations.map((mutation) => {
			if (mutation.id <= last) return { id: mutation.id, status: 'applied' };
			last = mutation.id;
			const refusal = this.refuse(mutation) ?? this.#apply(mutation);
			if (refusal) return { id: mutation.id, status: 'rejected', ...refusal };
			const key = `${request.clientId}:${mutation.id}`;
			this.effects.set(key, (this.effects.get(key) ?? 0) + 1);
			return { id: mutation.id, status: 'applied', version: this.version };
		});
		this.lastMutationIds.set(request.clientId, last);
		return json({ lastMutationId: last, results });
	}

	#apply({ name, args, clientTime }: MutationEnvelope): Refusal | null {
		const mutation = parseMutationName(name);
		const { id } = args as { id: string };
		if (!mutation) return { code: 'UNKNOWN_MUTATION', message: name };
		switch (mutation.kind) {
			case 'create': {
				const existing = this.get(mutation.collection, id);
				if (existing && !sameContent(existing, args)) return { code: 'DUPLICATE_ID', message: id };
				this.#write(mutation.collection, id, args as StoredRecord);
				return null;
			}
			case 'caseEvent.add':
				this.#write('caseEvent', id, args as StoredRecord);
				return null;
			case 'delete':
				this.#write(mutation.collection, id, null);
				return null;
			case 'update': {
				const existing = this.get(mutation.collection, id);
				if (!existing) return { code: 'NOT_FOUND', message: id };
				this.#write(
					mutation.collection,
					id,
					mergeFields(existing, (args as { changes: StoredRecord }).changes)
				);
				return null;
			}
			case 'case.transition': {
				const current = this.get('case', id) as CaseRecord | null;
				const { from, to } = args as CaseTransitionArgs;
				if (!current) return { code: 'NOT_FOUND', message: id };
				if (current.status !== from) {
					return { code: 'STALE_TRANSITION', message: `case is ${current.status}`, current };
				}
				this.#write('case', id, { ...current, status: to, updatedAt: clientTime });
				return null;
			}
			case 'case.assign': {
				const current = this.get('case', id);
				if (!current) return { code: 'NOT_FOUND', message: id };
				this.#write('case', id, { ...current, assigneeId: (args as CaseAssignArgs).assigneeId });
				return null;
			}
		}
	}

	#pull(body: unknown): Response {
		const request = pullRequest.parse(body);
		if (request.protocolVersion !== this.acceptedProtocol) {
			return json({ code: 'VERSION_NOT_SUPPORTED', message: 'Please update the app.' }, 409);
		}
		if (request.clientId) this.#join(request.clientGroupId, request.clientId);
		const lastMutationIds = Object.fromEntries(
			[...(this.groups.get(request.clientGroupId) ?? [])].map((clientId) => [
				clientId,
				this.lastMutationIds.get(clientId) ?? 0
			])
		);
		// A reset answer is the first page of a load from scratch, as the real server sends it.
		const reset = request.cursor !== null && this.resetGroups.delete(request.clientGroupId);
		const after = reset ? 0 : Number(request.cursor ?? 0);
		const newer = [...this.rows.values()]
			.filter((row) => row.version > after && !this.hidden.has(`${row.collection}/${row.id}`))
			.sort((a, b) => a.version - b.version);
		const rows = newer.slice(0, request.limit);
		const changes: Change[] = rows.map(({ collection, id, record, version }) =>
			record ? { collection, id, op: 'put', record, version } : { collection, id, op: 'del', version }
		);
		const page: PullResponse = {
			// The last page moves the cursor to the head, past rows this client may not see.
			cursor: String(
				newer.length > rows.length ? rows[rows.length - 1].version : Math.max(after, this.version)
			),
			hasMore: newer.length > rows.length,
			lastMutationIds,
			changes,
			reset
		};
		return json(this.editPage(page));
	}

	#write(collection: CollectionName, id: string, record: StoredRecord | null): void {
		this.version += 1;
		this.rows.set(`${collection}/${id}`, { collection, id, record, version: this.version });
	}

	#join(clientGroupId: string, clientId: string): void {
		this.groups.set(clientGroupId, (this.groups.get(clientGroupId) ?? new Set()).add(clientId));
	}
}
