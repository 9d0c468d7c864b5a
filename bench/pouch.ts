import type { Server } from 'node:http';
import path from 'node:path';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import { chunks, Cleanup, split, tempDir, timed, type Figure } from './support';

/** A PouchDB/CouchDB document: the record's JSON as it is, under `_id`. */
export type Doc = { _id: string } & Record<string, unknown>;

/**
 * The CouchDB-protocol peer most offline-first apps sync with: `express-pouchdb` over PouchDB on
 * LevelDB, on loopback. It answers CORS so that PouchDB in the bench's browser page can replicate from it.
 */
export class PouchPeer {
	private constructor(readonly url: string) {}

	static async start(cleanup: Cleanup): Promise<PouchPeer> {
		const dir = tempDir(cleanup, 'pouch-peer');
		const PouchLevel = PouchDB.defaults({ prefix: `${dir}/` });
		const app = express();
		app.use(allowCrossOrigin);
		app.use(
			'/',
			expressPouchDB(PouchLevel, {
				mode: 'minimumForPouchDB',
				configPath: path.join(dir, 'config.json'),
				logPath: path.join(dir, 'log.txt')
			})
		);
		const server = await new Promise<Server>((resolve) => {
			const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
		});
		cleanup.add('stop the PouchDB peer', () => new Promise((resolve) => server.close(resolve)));
		const { port } = server.address() as { port: number };
		return new PouchPeer(`http://127.0.0.1:${port}`);
	}

	/** A database on the peer, created now (not while a replication is being timed). */
	async database(name: string): Promise<string> {
		const url = `${this.url}/${name}`;
		const remote = new PouchDB(url);
		await remote.info();
		await remote.close();
		return url;
	}

	/** Fills a peer database (untimed): what a device will then replicate from it. */
	async load(name: string, docs: Doc[]): Promise<string> {
		const url = await this.database(name);
		const remote = new PouchDB(url);
		for (const chunk of chunks(docs, 1000)) requireWritten(await remote.bulkDocs(chunk));
		await remote.close();
		return url;
	}
}

function allowCrossOrigin(
	req: { method?: string; headers: Record<string, string | string[] | undefined> },
	res: { setHeader(name: string, value: string): void; statusCode: number; end(): void },
	next: () => void
) {
	const origin = req.headers.origin;
	if (typeof origin === 'string') {
		res.setHeader('access-control-allow-origin', origin);
		res.setHeader('access-control-allow-credentials', 'true');
		res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PUT, DELETE, OPTIONS');
		res.setHeader(
			'access-control-allow-headers',
			String(req.headers['access-control-request-headers'] ?? '*')
		);
		res.setHeader('access-control-max-age', '600');
		res.setHeader('vary', 'origin');
	}
	if (req.method === 'OPTIONS') {
		res.statusCode = 204;
		res.end();
		return;
	}
	next();
}

function requireWritten(results: { error?: unknown; reason?: unknown }[]) {
	const failed = results.find((result) => result.error);
	if (failed) throw new Error(`PouchDB refused a bench document: ${JSON.stringify(failed)}`);
}

/**
 * The push baseline: each device is a local PouchDB on LevelDB holding its share of the documents
 * (written before the clock starts); the time is from the start of replication to the peer until every
 * device's replication has completed.
 */
export async function pouchPush(
	peer: PouchPeer,
	cleanup: Cleanup,
	docs: Doc[],
	devices: number
): Promise<Figure> {
	const dir = tempDir(cleanup, `pouch-devices-${devices}`);
	const PouchLocal = PouchDB.defaults({ prefix: `${dir}/` });
	const target = await peer.database(`push-${devices}-devices`);
	const locals = await Promise.all(
		split(docs, devices).map(async (share, i) => {
			const local = new PouchLocal(`device-${i}`);
			for (const chunk of chunks(share, 1000)) requireWritten(await local.bulkDocs(chunk));
			return local;
		})
	);
	try {
		let written = 0;
		const result = await timed(docs.length, async () => {
			const results = await Promise.all(locals.map((local) => local.replicate.to(new PouchDB(target))));
			written = results.reduce((sum, r) => sum + r.docs_written, 0);
		});
		const { doc_count } = await new PouchDB(target).info();
		if (written !== docs.length || doc_count !== docs.length) {
			throw new Error(`PouchDB replicated ${written} of ${docs.length} documents (peer holds ${doc_count})`);
		}
		return result;
	} finally {
		await Promise.all(locals.map((local) => local.close()));
	}
}
