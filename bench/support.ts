import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Everything the bench made that must go at the end, even on failure: child processes, servers,
 * temporary folders, databases. Tasks run newest first; `add` returns a function that runs one early.
 */
export class Cleanup {
	#tasks: { name: string; run: () => unknown }[] = [];

	add(name: string, run: () => unknown): () => Promise<void> {
		const task = { name, run };
		this.#tasks.push(task);
		return async () => {
			const index = this.#tasks.indexOf(task);
			if (index < 0) return;
			this.#tasks.splice(index, 1);
			await runTask(task);
		};
	}

	async runAll(): Promise<void> {
		for (const task of this.#tasks.splice(0).reverse()) await runTask(task);
	}
}

async function runTask(task: { name: string; run: () => unknown }) {
	try {
		await task.run();
	} catch (error) {
		console.warn(`  cleanup: ${task.name} failed: ${error instanceof Error ? error.message : error}`);
	}
}

/** A new folder under the system's temp dir, removed at cleanup. */
export function tempDir(cleanup: Cleanup, label: string): string {
	const dir = mkdtempSync(path.join(tmpdir(), `gridwalk-bench-${label}-`));
	cleanup.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

/** A port nothing listens on right now (loopback). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** A rate measured once: how many items in how many milliseconds. */
export interface Figure {
	count: number;
	ms: number;
	perSecond: number;
	/** The machine's 1-minute load average when the measurement ended: other work competing for the cores. */
	load: number;
}

export function figure(count: number, ms: number): Figure {
	return { count, ms: Math.round(ms), perSecond: count / (ms / 1000), load: loadavg()[0] };
}

export async function timed(count: number, work: () => Promise<unknown>): Promise<Figure> {
	const started = performance.now();
	await work();
	return figure(count, performance.now() - started);
}

/** `items` cut into `parts` runs of equal length (the devices of a concurrent run). */
export function split<T>(items: T[], parts: number): T[][] {
	const size = Math.ceil(items.length / parts);
	return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export function chunks<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

export function progress(message: string): void {
	console.log(`· ${message}`);
}

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');
