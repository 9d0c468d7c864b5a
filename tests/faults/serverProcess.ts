import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The real built server (`build/index.js`) as a child process, so a test can kill it mid-run and
 * start it again on the same storage, as a crash and restart would.
 */
export class ServerProcess {
	#child: ChildProcess | null = null;
	readonly url: string;

	constructor(
		readonly port: number,
		private readonly env: Record<string, string>
	) {
		this.url = `http://127.0.0.1:${port}`;
	}

	async start(): Promise<void> {
		const entry = path.resolve('build/index.js');
		if (!existsSync(entry))
			throw new Error('The fault suite runs the built server: run `npm run build` first.');
		// SERVER_NODE_ARGS: extra Node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (written on stop()).
		const child = spawn(process.execPath, [...(process.env.SERVER_NODE_ARGS?.split(' ') ?? []), entry], {
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				BODY_SIZE_LIMIT: '12M',
				LOG_LEVEL: 'warn',
				LOGIN_FAILURES_PER_ADDRESS: '100000',
				...this.env
			},
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let stderr = '';
		child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
		this.#child = child;
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`server exited at start: ${stderr}`);
			try {
				const response = await fetch(`${this.url}/api/health`);
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		throw new Error(`server did not become healthy: ${stderr}`);
	}

	/** Kills the process without warning (SIGKILL): nothing is flushed or closed gracefully. */
	async kill(): Promise<void> {
		const child = this.#child;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
		this.#child = null;
	}

	/** Asks the server to stop (SIGTERM) and waits for it to exit by itself; returns how long that took. */
	async stop(timeoutMs = 20_000): Promise<number> {
		const child = this.#child;
		if (!child || child.exitCode !== null) return 0;
		const started = Date.now();
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		await exited;
		clearTimeout(timer);
		this.#child = null;
		if (child.signalCode === 'SIGKILL')
			throw new Error(`the server did not exit within ${timeoutMs} ms of SIGTERM`);
		return Date.now() - started;
	}

	async restart(): Promise<void> {
		await this.kill();
		await this.start();
	}
}
