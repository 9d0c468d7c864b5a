// The little of PouchDB, express and express-pouchdb the bench uses (none of them ships types).

interface BenchPouchReplication {
	ok: boolean;
	docs_written: number;
	doc_write_failures: number;
}

interface BenchPouchDatabase {
	info(): Promise<{ doc_count: number }>;
	bulkDocs(docs: object[]): Promise<{ id?: string; error?: unknown; reason?: unknown }[]>;
	close(): Promise<void>;
	replicate: {
		to(target: BenchPouchDatabase | string, options?: object): Promise<BenchPouchReplication>;
		from(source: BenchPouchDatabase | string, options?: object): Promise<BenchPouchReplication>;
	};
}

interface BenchPouchStatic {
	new (name: string, options?: object): BenchPouchDatabase;
	defaults(options: { prefix?: string }): BenchPouchStatic;
}

declare module 'pouchdb' {
	const PouchDB: BenchPouchStatic;
	export default PouchDB;
}

declare module 'pouchdb-browser' {
	const PouchDB: BenchPouchStatic;
	export default PouchDB;
}

declare module 'express' {
	import type { Server } from 'node:http';
	interface Application {
		use(...handlers: unknown[]): Application;
		listen(port: number, host: string, callback: () => void): Server;
	}
	export default function express(): Application;
}

declare module 'express-pouchdb' {
	export default function expressPouchDB(PouchDB: BenchPouchStatic, options?: object): unknown;
}
