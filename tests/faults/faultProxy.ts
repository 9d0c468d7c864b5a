import http from 'node:http';

/** What the proxy does to one request. */
export type Fault =
	| 'pass'
	/** The connection drops before the request reaches the server. */
	| 'dropBefore'
	/** The server handles the request (and commits), then the connection drops before the answer. */
	| 'dropAfter'
	/** 502 from the "gateway", without asking the server. */
	| 'badGateway'
	/** The request is sent to the server twice; the client sees the second answer. */
	| 'duplicate'
	/** The request waits before it is forwarded. */
	| 'delay';

export interface FaultPlan {
	/** Chooses the fault for a request; `random` is the proxy's seeded generator. */
	choose(request: { method: string; path: string }, random: () => number): Fault;
	delayMs?: number;
}

export interface FaultCounts {
	[fault: string]: number;
}

/**
 * An HTTP proxy between simulated devices and the real server that injects network faults.
 * Deterministic for a given seed and request order.
 */
export class FaultProxy {
	#server: http.Server | null = null;
	#seed: number;
	readonly counts: FaultCounts = {};
	plan: FaultPlan = { choose: () => 'pass' };

	constructor(
		readonly port: number,
		private readonly target: string,
		seed = 1
	) {
		this.#seed = seed >>> 0;
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	#random = () => {
		// mulberry32
		let t = (this.#seed += 0x6d2b79f5);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};

	async start(): Promise<void> {
		this.#server = http.createServer((req, res) => void this.#handle(req, res));
		await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
	}

	async stop(): Promise<void> {
		this.#server?.closeAllConnections();
		await new Promise((resolve) => this.#server?.close(resolve));
	}

	async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const fault = this.plan.choose({ method: req.method ?? 'GET', path: req.url ?? '/' }, this.#random);
		this.counts[fault] = (this.counts[fault] ?? 0) + 1;
		try {
			if (fault === 'dropBefore') return req.socket.destroy();
			if (fault === 'badGateway') {
				res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
				return;
			}
			if (fault === 'delay') await new Promise((r) => setTimeout(r, this.plan.delayMs ?? 300));
			if (fault === 'duplicate') await this.#forward(req, body).catch(() => null);
			const answer = await this.#forward(req, body);
			if (fault === 'dropAfter') return req.socket.destroy();
			res.writeHead(answer.status, answer.headers);
			res.end(answer.body);
		} catch {
			// The server is down (restarting): the device sees a dropped connection.
			req.socket.destroy();
		}
	}

	async #forward(req: http.IncomingMessage, body: Buffer) {
		const headers = new Headers();
		for (const [name, value] of Object.entries(req.headers)) {
			if (value === undefined || name === 'host' || name === 'connection' || name === 'content-length')
				continue;
			headers.set(name, Array.isArray(value) ? value.join(', ') : value);
		}
		const response = await fetch(this.target + (req.url ?? '/'), {
			method: req.method,
			headers,
			body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body)
		});
		const out: Record<string, string | string[]> = {};
		response.headers.forEach((value, name) => {
			if (name !== 'content-encoding' && name !== 'content-length' && name !== 'transfer-encoding')
				out[name] = value;
		});
		const cookies = response.headers.getSetCookie();
		if (cookies.length) out['set-cookie'] = cookies;
		return { status: response.status, headers: out, body: Buffer.from(await response.arrayBuffer()) };
	}
}
