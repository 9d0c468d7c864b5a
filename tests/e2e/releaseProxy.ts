import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The built app behind a proxy that can ship "a new release": after `release()`, the service worker
 * script comes with other bytes, which is all a browser looks at to install a new version. Playwright
 * cannot route the browser's own update check of the script, so the test needs a server that changes.
 */
export class ReleaseProxy {
	#server: http.Server | null = null;
	#release = 0;

	constructor(private readonly target: string) {}

	get url(): string {
		return `http://127.0.0.1:${(this.#server?.address() as AddressInfo).port}`;
	}

	/** Every later fetch of /service-worker.js gets the bytes of the next release. */
	release(): void {
		this.#release++;
	}

	async start(): Promise<this> {
		this.#server = http.createServer((request, response) => this.#forward(request, response));
		await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		this.#server?.closeAllConnections();
		await new Promise((resolve) => this.#server?.close(resolve));
	}

	#forward(request: http.IncomingMessage, response: http.ServerResponse) {
		const worker = this.#release > 0 && request.url?.split('?')[0] === '/service-worker.js';
		const headers = { ...request.headers };
		// The script gets text appended: it must come uncompressed.
		if (worker) delete headers['accept-encoding'];
		const target = new URL(this.target);
		const upstream = http.request(
			{ host: target.hostname, port: target.port, path: request.url, method: request.method, headers },
			(answer) => {
				if (!worker) {
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
					return;
				}
				const chunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => chunks.push(chunk));
				answer.on('end', () => {
					const body = Buffer.concat([...chunks, Buffer.from(`\n// release ${this.#release}\n`)]);
					const { 'content-length': _length, etag: _etag, ...rest } = answer.headers;
					response.writeHead(answer.statusCode ?? 502, { ...rest, 'content-length': body.length });
					response.end(body);
				});
			}
		);
		upstream.on('error', () => response.destroy());
		request.pipe(upstream);
	}
}
