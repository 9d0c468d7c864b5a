import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { BlobSource, BlobStore, StoredBlob } from './store';

/**
 * Blobs as files under `root/ab/cd/<sha256>` (two levels keep directories small). A blob is written to
 * `root/tmp`, synced, then renamed into place, so a reader never sees half a file.
 */
export class FileBlobStore implements BlobStore {
	readonly #root: string;

	constructor(root: string) {
		this.#root = root;
	}

	#pathOf(sha256: string): string {
		return path.join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
	}

	async has(sha256: string): Promise<boolean> {
		return (await sizeOf(this.#pathOf(sha256))) !== null;
	}

	async put(sha256: string, source: BlobSource, accept?: () => void | Promise<void>): Promise<void> {
		const staging = path.join(this.#root, 'tmp');
		await mkdir(staging, { recursive: true });
		const temp = path.join(staging, `${sha256}.${randomUUID()}`);
		try {
			const file = await open(temp, 'wx');
			try {
				for await (const chunk of source instanceof Uint8Array ? [source] : source) await file.write(chunk);
				await file.sync();
			} finally {
				await file.close();
			}
			await accept?.();
			const target = this.#pathOf(sha256);
			await mkdir(path.dirname(target), { recursive: true });
			await rename(temp, target);
		} catch (error) {
			await rm(temp, { force: true });
			throw error;
		}
	}

	async get(sha256: string): Promise<StoredBlob | null> {
		const file = this.#pathOf(sha256);
		const bytes = await sizeOf(file);
		if (bytes === null) return null;
		return { bytes, stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array> };
	}

	async delete(sha256: string): Promise<void> {
		await rm(this.#pathOf(sha256), { force: true });
	}
}

async function sizeOf(file: string): Promise<number | null> {
	try {
		return (await stat(file)).size;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}
