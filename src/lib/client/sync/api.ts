import type { z } from 'zod';
import {
	pullResponse,
	pushResponse,
	syncErrorCodes,
	type PullRequest,
	type PullResponse,
	type PushRequest,
	type PushResponse
} from '$lib/sync/protocol';
import type { PhotoEntry } from '../db';
import type { SyncError } from './events';

/**
 * Why a sync stopped. Codes the runner acts on: NETWORK (no answer), UNAUTHENTICATED, VERSION_NOT_SUPPORTED,
 * MUTATION_GAP, BAD_RESPONSE (an answer that breaks the contract); any other is the server's own code.
 */
export class SyncFailure extends Error implements SyncError {
	constructor(
		readonly code: string,
		message: string
	) {
		super(message);
		this.name = 'SyncFailure';
	}
}

export interface SyncApiOptions {
	fetch: typeof fetch;
	/** '' in the browser (same origin); the server's origin when the client runs in Node. */
	baseUrl: string;
	timeoutMs: number;
}

/** The sync endpoints of DESIGN.md §3 and the blob store, with every failure turned into a `SyncFailure`. */
export class SyncApi {
	readonly #options: SyncApiOptions;

	constructor(options: SyncApiOptions) {
		this.#options = options;
	}

	async push(body: PushRequest): Promise<PushResponse> {
		return parseAnswer(pushResponse, await this.#send('POST', '/api/sync/push', jsonBody(body)));
	}

	async pull(body: PullRequest): Promise<PullResponse> {
		return parseAnswer(pullResponse, await this.#send('POST', '/api/sync/pull', jsonBody(body)));
	}

	/** Whether the blob store already holds these bytes. */
	async hasBlob(sha256: string): Promise<boolean> {
		return (await this.#send('HEAD', blobPath(sha256), {}, [404])).ok;
	}

	/** Uploads a photo; false when the server refuses the bytes themselves (type, size, hash). */
	async putBlob(photo: PhotoEntry): Promise<boolean> {
		const init = { body: photo.blob, headers: { 'content-type': photo.mime } };
		return (await this.#send('PUT', blobPath(photo.sha256), init, [400, 413, 415, 422])).ok;
	}

	/** Sends a request; answers other than 2xx and `expected` become failures. */
	async #send(method: string, path: string, init: RequestInit, expected: number[] = []): Promise<Response> {
		let response: Response;
		try {
			response = await this.#options.fetch(`${this.#options.baseUrl}${path}`, {
				...init,
				method,
				credentials: 'same-origin',
				signal: AbortSignal.timeout(this.#options.timeoutMs)
			});
		} catch (error) {
			throw new SyncFailure('NETWORK', `The server could not be reached: ${reasonOf(error)}`);
		}
		if (response.ok || expected.includes(response.status)) return response;
		throw await failureOf(response);
	}
}

const blobPath = (sha256: string) => `/api/blobs/${sha256}`;

function jsonBody(body: unknown): RequestInit {
	return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

async function readText(response: Response): Promise<string> {
	try {
		return await response.text();
	} catch (error) {
		throw new SyncFailure('NETWORK', `The answer was cut off: ${reasonOf(error)}`);
	}
}

async function parseAnswer<S extends z.ZodType>(schema: S, response: Response): Promise<z.infer<S>> {
	const text = await readText(response);
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new SyncFailure('BAD_RESPONSE', `The server's answer is not JSON (${response.status}).`);
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) {
		const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(body)').join(', ');
		throw new SyncFailure('BAD_RESPONSE', `The server's answer does not fit the sync contract: ${paths}`);
	}
	return parsed.data;
}

/** A refusal body: `{ code, message }` (DESIGN.md writes the sync errors as `{ error }`; both are read). */
async function failureOf(response: Response): Promise<SyncFailure> {
	let body: { code?: unknown; error?: unknown; message?: unknown } = {};
	try {
		body = JSON.parse(await readText(response)) ?? {};
	} catch {
		// A body that is not JSON (a proxy's error page) still has its status.
	}
	const code = typeof body.code === 'string' ? body.code : typeof body.error === 'string' ? body.error : null;
	const message = typeof body.message === 'string' ? body.message : `The server answered ${response.status}.`;
	if (response.status === 401) return new SyncFailure('UNAUTHENTICATED', message);
	if (response.status === 409 && (syncErrorCodes as readonly (string | null)[]).includes(code)) {
		return new SyncFailure(code as string, message);
	}
	return new SyncFailure(code ?? `HTTP_${response.status}`, message);
}

function reasonOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
