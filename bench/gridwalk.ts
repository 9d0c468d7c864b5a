import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { subtypeKeys } from '../src/lib/domain/enums';
import { observation, type Observation } from '../src/lib/domain/records';
import { ServerProcess } from '../tests/faults/serverProcess';
import { Cleanup, freePort, tempDir } from './support';

export type DbKind = 'pglite' | 'postgres';
export const dbLabel: Record<DbKind, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };

export const adminPassword = 'bench-password-not-secret';

// ---- direct access to a site's database (seeding and the raw baseline), bypassing the server ----

export interface Sql {
	query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}
export interface Direct extends Sql {
	transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

async function openPglite(dataDir: string): Promise<Direct> {
	const db = await PGlite.create(dataDir);
	const sql = (q: Pick<PGlite, 'query'>): Sql => ({
		query: async <T>(text: string, params?: unknown[]) => (await q.query<T>(text, params)).rows
	});
	return {
		...sql(db),
		// PGlite is one connection: its transaction() queues concurrent callers.
		transaction: (work) => db.transaction((tx) => work(sql(tx))),
		close: () => db.close()
	};
}

function openPostgres(url: string): Direct {
	const pool = new pg.Pool({ connectionString: url, max: 10 });
	return {
		query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
		async transaction(work) {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				const sql: Sql = {
					query: async <T>(t: string, p?: unknown[]) => (await client.query(t, p)).rows as T[]
				};
				const result = await work(sql);
				await client.query('COMMIT');
				return result;
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			} finally {
				client.release();
			}
		},
		close: () => pool.end()
	};
}

// ---- PostgreSQL server ----

export function postgresServerUrl(): string {
	return (
		process.env.BENCH_DATABASE_URL ||
		process.env.TEST_DATABASE_URL ||
		'postgres://postgres@127.0.0.1:5432/postgres'
	);
}

/** Null when the PostgreSQL server answers, else why not. */
export async function postgresUnreachable(): Promise<string | null> {
	const client = new pg.Client({ connectionString: postgresServerUrl(), connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
		await client.query('SELECT 1');
		return null;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** A fresh database on the PostgreSQL server, dropped at cleanup. */
export async function createDatabase(cleanup: Cleanup, name: string): Promise<string> {
	const run = async (statement: string) => {
		const client = new pg.Client({ connectionString: postgresServerUrl() });
		await client.connect();
		try {
			await client.query(statement);
		} finally {
			await client.end();
		}
	};
	await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await run(`CREATE DATABASE ${name}`);
	cleanup.add(`drop database ${name}`, () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
	const url = new URL(postgresServerUrl());
	url.pathname = `/${name}`;
	return url.toString();
}

// ---- a built gridwalk server on a fresh database ----

/** The built server (`build/index.js`) in demo mode on its own fresh database, logged in as `admin`. */
export class Site {
	cookie = '';
	#running = false;
	readonly dispose: () => Promise<void>;

	private constructor(
		readonly kind: DbKind,
		private readonly server: ServerProcess,
		private readonly databaseUrl: string | undefined,
		private readonly dataDir: string,
		own: Cleanup,
		parent: Cleanup
	) {
		this.dispose = parent.add(`${kind} site`, () => own.runAll());
	}

	get url(): string {
		return this.server.url;
	}

	static async open(kind: DbKind, parent: Cleanup, label: string): Promise<Site> {
		const own = new Cleanup();
		const dataDir = tempDir(own, `${kind}-${label}`);
		const databaseUrl =
			kind === 'postgres' ? await createDatabase(own, `gridwalk_bench_${label}_${process.pid}`) : undefined;
		const server = new ServerProcess(await freePort(), {
			GRIDWALK_DEMO: '1',
			DEMO_PASSWORD: adminPassword,
			DATA_DIR: dataDir,
			// Empty means PGlite (the server ignores empty settings), whatever the environment says.
			DATABASE_URL: databaseUrl ?? ''
		});
		own.add('stop server', () => server.stop().then(() => undefined));
		const site = new Site(kind, server, databaseUrl, dataDir, own, parent);
		await site.start();
		return site;
	}

	/** Starts the server unless it runs, and logs in. */
	async start(): Promise<void> {
		if (this.#running) return;
		await this.server.start();
		this.#running = true;
		this.cookie = await login(this.url);
	}

	/** PGlite belongs to one process: for it the server is stopped first (`start()` brings it back). */
	async direct<T>(work: (db: Direct) => Promise<T>): Promise<T> {
		if (this.kind === 'pglite') {
			await this.server.kill();
			this.#running = false;
		}
		const db = this.databaseUrl
			? openPostgres(this.databaseUrl)
			: await openPglite(path.join(this.dataDir, 'pglite'));
		try {
			return await work(db);
		} finally {
			await db.close();
		}
	}
}

async function login(url: string): Promise<string> {
	const response = await fetch(`${url}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username: 'admin', password: adminPassword })
	});
	if (!response.ok) throw new Error(`login as admin failed: ${response.status} ${await response.text()}`);
	return response.headers
		.getSetCookie()
		.map((cookie) => cookie.split(';')[0])
		.join('; ');
}

/** A url-safe client key like the device's (22 characters). */
export const clientKey = () => randomBytes(16).toString('base64url');

// ---- the records ----

/** A building and where it sits: enough to make a valid observation and its row. */
export interface Place {
	buildingId: string;
	compoundId: string;
	gridId: string;
	communityId: string;
	point: { lat: number; lng: number };
}

export interface District {
	places: Place[];
	adminId: string;
}

/** Buildings whose grid covers their compound (what the server checks), and the admin's id. */
export async function readDistrict(sql: Sql): Promise<District> {
	const places = await sql.query<Place>(`
		SELECT b.id AS "buildingId", b.compound_id AS "compoundId", b.grid_id AS "gridId",
			c.community_id AS "communityId", b.point AS point
		FROM buildings b
		JOIN compounds c ON c.id = b.compound_id
		JOIN grids g ON g.id = b.grid_id
		WHERE b.deleted_at IS NULL AND c.deleted_at IS NULL AND g.deleted_at IS NULL
			AND g.compound_ids @> jsonb_build_array(b.compound_id::text)
		ORDER BY b.id`);
	const [admin] = await sql.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`);
	if (!places.length || !admin) throw new Error('the demo district has no buildings or no admin');
	return { places, adminId: admin.id };
}

const severities = ['low', 'medium', 'high'] as const;

/**
 * `count` valid observations (checked with the shared schema), spread over the district's buildings.
 * All resolved on the spot: one that is not opens a case and its first event (DOMAIN.md), two more rows
 * the raw INSERT baseline would not write.
 */
export function makeObservations(count: number, { places, adminId }: District): Observation[] {
	const start = Date.parse('2026-10-01T08:00:00.000Z');
	return Array.from({ length: count }, (_, i) => {
		const place = places[(i * 7919) % places.length];
		const subtype = subtypeKeys[i % subtypeKeys.length];
		return observation.parse({
			id: uuidv7(),
			category: subtype.split('.')[0],
			subtype,
			severity: severities[i % severities.length],
			location: {
				lat: place.point.lat + ((i % 97) - 48) * 1e-5,
				lng: place.point.lng + ((i % 89) - 44) * 1e-5,
				accuracy: 4 + (i % 25)
			},
			compoundId: place.compoundId,
			buildingId: place.buildingId,
			note: `Observation ${i}: bins overflowing beside the east gate, reported again this week`,
			photos: [],
			observedAt: new Date(start + i * 37_000).toISOString(),
			// Resolved on the spot, so no case opens: the server writes the same rows the raw baseline does.
			resolvedOnSpot: true,
			by: adminId
		});
	});
}

/** The same content under new ids: each measured run writes records nobody has stored yet. */
export const withNewIds = (records: Observation[]): Observation[] =>
	records.map((record) => ({ ...record, id: uuidv7() }));

const columns = [
	'id',
	'category',
	'subtype',
	'severity',
	'location',
	'community_id',
	'compound_id',
	'grid_id',
	'building_id',
	'note',
	'photos',
	'observed_at',
	'resolved_on_spot',
	'by',
	'sync_version'
];
const casts: Record<string, string> = { location: '::jsonb', photos: '::jsonb' };

/**
 * One multi-row INSERT of `batch` into `observations`, with the place columns the server would derive
 * and versions taken from the global counter (one UPDATE for the whole batch). Run it in a transaction.
 */
export async function insertObservations(sql: Sql, batch: Observation[], places: Map<string, Place>) {
	const [{ value }] = await sql.query<{ value: string }>(
		'UPDATE sync_counter SET value = value + $1 WHERE id = 1 RETURNING value',
		[batch.length]
	);
	const first = Number(value) - batch.length + 1;
	const params: unknown[] = [];
	const tuples = batch.map((o, i) => {
		const place = places.get(o.buildingId!)!;
		const values = [
			o.id,
			o.category,
			o.subtype,
			o.severity,
			JSON.stringify(o.location),
			place.communityId,
			o.compoundId,
			place.gridId,
			o.buildingId,
			o.note,
			JSON.stringify(o.photos),
			o.observedAt,
			o.resolvedOnSpot,
			o.by,
			first + i
		];
		const placeholders = values.map((_, j) => `$${params.length + j + 1}${casts[columns[j]] ?? ''}`);
		params.push(...values);
		return `(${placeholders.join(', ')})`;
	});
	const names = columns.map((c) => `"${c}"`).join(', ');
	await sql.query(`INSERT INTO observations (${names}) VALUES ${tuples.join(', ')}`, params);
}

/**
 * The audit rows the server writes beside `batch` (who, which device and request, what: the record),
 * one multi-row INSERT. Run it in the same transaction as the records.
 */
export async function insertAuditRows(sql: Sql, batch: Observation[], clientId: string) {
	const params: unknown[] = [];
	const tuples = batch.map((o) => {
		const values = [
			o.by,
			clientId,
			clientKey(),
			'observation.create',
			'observation',
			o.id,
			JSON.stringify(o)
		];
		const at = params.length;
		params.push(...values);
		return `(now(), ${values.map((_, j) => `$${at + j + 1}${j === 6 ? '::jsonb' : ''}`).join(', ')})`;
	});
	await sql.query(
		`INSERT INTO audit_log (at, user_id, client_id, request_id, action, collection, record_id, changes) VALUES ${tuples.join(', ')}`,
		params
	);
}

export const placesById = (district: District) => new Map(district.places.map((p) => [p.buildingId, p]));
