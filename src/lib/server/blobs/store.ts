/** Bytes to store: whole, or read chunk by chunk from an upload. */
export type BlobSource = Uint8Array | AsyncIterable<Uint8Array>;

export interface StoredBlob {
	bytes: number;
	stream: ReadableStream<Uint8Array>;
}

/**
 * Where photo bytes live, by their SHA-256. The filesystem today; an object store can take its place
 * (DESIGN.md §5: blob bytes in a shared blob store when several instances run).
 */
export interface BlobStore {
	has(sha256: string): Promise<boolean>;
	/**
	 * Stores the bytes under the hash, whole or not at all. `accept` runs once the last byte is written
	 * and before any reader can see them; when it (or reading the source) throws, nothing is kept.
	 */
	put(sha256: string, source: BlobSource, accept?: () => void | Promise<void>): Promise<void>;
	/** The bytes, or null when the store does not hold them. */
	get(sha256: string): Promise<StoredBlob | null>;
	delete(sha256: string): Promise<void>;
}
