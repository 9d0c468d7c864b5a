import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq, getTableColumns, getTableName, inArray, is, sql, type SQL } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { caseStatuses } from '$lib/domain';
import { login } from '$lib/server/auth/login';
import { demoLogins, prepareAccounts } from '$lib/server/bootstrap';
import { readConfig, type Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import { communities, syncCounter, users } from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { freshIp, sessionPolicy } from './auth-fixtures';
import { databaseKinds, type TestDatabase } from './databases';

/** Loading the demo district takes seconds on PGlite and may take longer on a busy PostgreSQL. */
const loadTimeout = 300_000;

const demoPassword = 'some-demo-pass';
const adminPassword = 'first-admin-pass';

/** Every table whose rows sync to devices: those with a sync_version column. */
const syncedTables = (Object.values(schema) as unknown[]).filter(
	(table): table is PgTable => is(table, PgTable) && 'syncVersion' in getTableColumns(table)
);

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
	const result = await db.execute(query);
	return (result as unknown as { rows: T[] }).rows;
}

/** Row counts of every synced table, by table name. */
async function rowCounts(db: Db): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const table of syncedTables) {
		const [{ n }] = await db.select({ n: count() }).from(table);
		counts[getTableName(table)] = n;
	}
	return counts;
}

/** How many synced rows there are, how many distinct versions they carry, and the highest. */
async function versions(db: Db) {
	const all = sql.join(
		syncedTables.map((table) => sql`SELECT sync_version AS v FROM ${sql.identifier(getTableName(table))}`),
		sql` UNION ALL `
	);
	const [row] = await rows<{ n: string | number; distinct: string | number; max: string | number }>(
		db,
		sql`SELECT count(*) AS n, count(DISTINCT v) AS distinct, max(v) AS max FROM (${all}) AS synced`
	);
	return { rows: Number(row.n), distinct: Number(row.distinct), max: Number(row.max) };
}

async function counterValue(db: Db): Promise<number> {
	const [row] = await db.select({ value: syncCounter.value }).from(syncCounter);
	return Number(row.value);
}

/** prepareAccounts, with what it prints to the terminal caught instead of shown. */
async function prepare(db: Db, config: Config): Promise<string> {
	const printed: string[] = [];
	const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
		printed.push(String(chunk));
		return true;
	});
	try {
		await prepareAccounts(db, config);
	} finally {
		write.mockRestore();
	}
	return printed.join('');
}

/** The outcome of a promise, as a value: the Error it was refused with, or 'resolved'. */
const outcome = (promise: Promise<unknown>) =>
	promise.then(
		() => 'resolved' as const,
		(error: unknown) => error
	);

const logIn = (db: Db, username: string, password: string) =>
	login(db, { username, password, ip: freshIp() }, sessionPolicy);

/** "YYYY-MM" of the month before the one containing `at`, in China Standard Time. */
function lastFullMonth(at: Date): string {
	const local = new Date(at.getTime() + 8 * 3_600_000);
	return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

const tempDirs: string[] = [];
function tempDataDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'gridwalk-data-'));
	tempDirs.push(dir);
	return dir;
}
afterAll(() => {
	for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(databaseKinds)('first start on $kind', ({ open }) => {
	describe('demo mode on an empty database', () => {
		let database: TestDatabase;
		let db: Db;
		let config: Config;
		let banner: string;
		let loadedBetween: [Date, Date];

		beforeAll(async () => {
			database = await open();
			db = database.db;
			config = readConfig({ GRIDWALK_DEMO: '1', DEMO_PASSWORD: demoPassword, DATA_DIR: tempDataDir() });
			const before = new Date();
			banner = await prepare(db, config);
			loadedBetween = [before, new Date()];
		}, loadTimeout);
		afterAll(async () => {
			await database?.drop();
		});

		it('loads the demo district: 39 communities, 200 compounds, 1,500 buildings, 300 grids', async () => {
			const counts = await rowCounts(db);
			expect(counts).toMatchObject({ communities: 39, compounds: 200, buildings: 1500, grids: 300 });
			for (const table of ['teams', 'users', 'patrols', 'observations', 'feedback', 'visits', 'surveys']) {
				expect(counts[table], table).toBeGreaterThan(0);
			}
		});

		it('has cases in every status', async () => {
			const found = await db.selectDistinct({ status: schema.cases.status }).from(schema.cases);
			expect(found.map((r) => r.status).sort()).toEqual([...caseStatuses].sort());
		});

		it('has the four demo accounts, one per role', async () => {
			const accounts = await db
				.select({ username: users.username, role: users.role, active: users.active })
				.from(users)
				.where(inArray(users.username, [...demoLogins]));
			expect(accounts.sort((a, b) => a.username.localeCompare(b.username))).toEqual([
				{ username: 'admin', role: 'admin', active: true },
				{ username: 'coordinator', role: 'coordinator', active: true },
				{ username: 'leader', role: 'grid_leader', active: true },
				{ username: 'volunteer', role: 'volunteer', active: true }
			]);
		});

		it.each(demoLogins)(
			'lets %s log in with DEMO_PASSWORD, and not with another password',
			async (username) => {
				const session = await logIn(db, username, demoPassword);
				const [user] = await db.select().from(users).where(eq(users.username, username));
				expect(session.userId).toBe(user.id);
				expect(session.token).toBeTruthy();
				expect(await outcome(logIn(db, username, `${demoPassword}-not`))).toBeInstanceOf(ApiError);
			}
		);

		it('never stores the demo password itself', async () => {
			const [{ n }] = await db
				.select({ n: count() })
				.from(users)
				.where(sql`${users.passwordHash} LIKE ${`%${demoPassword}%`}`);
			expect(n).toBe(0);
		});

		it('gives every synced row its own version, and the counter stands at the highest', async () => {
			const v = await versions(db);
			expect(v.rows).toBeGreaterThan(2000);
			expect(v.distinct).toBe(v.rows);
			expect(await counterValue(db)).toBe(v.max);
		});

		it('has compounds under 60 % satisfaction in the last full month, per the surveys', async () => {
			const rates = await rows<{ month: string; compound_id: string; rate: string | number }>(
				db,
				sql`SELECT month, compound_id, avg(CASE WHEN overall BETWEEN 4 AND 5 THEN 1.0 ELSE 0.0 END) AS rate
					FROM surveys
					WHERE month = (SELECT max(month) FROM surveys)
					GROUP BY month, compound_id`
			);
			// The newest surveys are of the last full month (China Standard Time) before the load.
			expect(loadedBetween.map(lastFullMonth)).toContain(rates[0].month);
			expect(rates).toHaveLength(200);
			const unhappy = rates.filter((r) => Number(r.rate) < 0.6);
			expect(unhappy.length).toBeGreaterThan(0);
			// A watch list, not the whole district.
			expect(unhappy.length).toBeLessThan(rates.length / 2);
		});

		it('prints the four demo logins with the password to the terminal', () => {
			for (const username of demoLogins) {
				expect(banner).toMatch(new RegExp(`^\\s+${username}\\s+${demoPassword}\\s*$`, 'm'));
			}
		});

		it('changes nothing when started again', async () => {
			const counts = await rowCounts(db);
			const counter = await counterValue(db);
			const again = await prepare(db, config);
			expect(await rowCounts(db)).toEqual(counts);
			expect(await counterValue(db)).toBe(counter);
			// The logins are printed at every start, so whoever restarts the server sees them.
			for (const username of demoLogins) expect(again).toContain(username);
			expect((await logIn(db, 'volunteer', demoPassword)).token).toBeTruthy();
		});
	});

	describe('demo mode without DEMO_PASSWORD', () => {
		let database: TestDatabase;
		let dataDir: string;
		let banner: string;

		beforeAll(async () => {
			database = await open();
			dataDir = tempDataDir();
			banner = await prepare(database.db, readConfig({ GRIDWALK_DEMO: '1', DATA_DIR: dataDir }));
		}, loadTimeout);
		afterAll(async () => {
			await database?.drop();
		});

		const passwordFile = () => path.join(dataDir, 'demo-password');

		it('makes a password, keeps it in DATA_DIR/demo-password readable by the owner only', () => {
			const password = readFileSync(passwordFile(), 'utf8').trim();
			expect(password.length).toBeGreaterThanOrEqual(12);
			expect(statSync(passwordFile()).mode & 0o777).toBe(0o600);
			expect(banner).toMatch(new RegExp(`^\\s+admin\\s+${password}\\s*$`, 'm'));
		});

		it('lets the demo accounts log in with it', async () => {
			const password = readFileSync(passwordFile(), 'utf8').trim();
			for (const username of demoLogins) {
				expect((await logIn(database.db, username, password)).token).toBeTruthy();
			}
		});

		it('reuses the same password at the next start', async () => {
			const password = readFileSync(passwordFile(), 'utf8').trim();
			await database.close();
			const restarted = await database.reopen();
			try {
				const again = await prepare(restarted.db, readConfig({ GRIDWALK_DEMO: '1', DATA_DIR: dataDir }));
				expect(readFileSync(passwordFile(), 'utf8').trim()).toBe(password);
				expect(again).toMatch(new RegExp(`^\\s+leader\\s+${password}\\s*$`, 'm'));
				expect((await logIn(restarted.db, 'leader', password)).token).toBeTruthy();
			} finally {
				await restarted.close();
			}
		});
	});

	describe('GRIDWALK_DEMO=0 on an empty database', () => {
		let database: TestDatabase;
		let db: Db;
		let dataDir: string;

		beforeAll(async () => {
			database = await open();
			db = database.db;
			dataDir = tempDataDir();
		});
		afterAll(async () => {
			await database?.drop();
		});

		it('refuses to start without ADMIN_PASSWORD, and writes no user', async () => {
			const config = readConfig({ GRIDWALK_DEMO: '0', DATA_DIR: dataDir });
			const error = await outcome(prepare(db, config));
			expect(error).toBeInstanceOf(Error);
			expect((error as Error).message).toContain('ADMIN_PASSWORD');
			expect(await db.select().from(users)).toEqual([]);
			expect(await counterValue(db)).toBe(0);
		});

		it('creates exactly one user, admin, who logs in with ADMIN_PASSWORD; no demo data', async () => {
			const config = readConfig({ GRIDWALK_DEMO: '0', ADMIN_PASSWORD: adminPassword, DATA_DIR: dataDir });
			const printed = await prepare(db, config);
			const all = await db.select().from(users);
			expect(all.map((u) => ({ username: u.username, role: u.role, active: u.active }))).toEqual([
				{ username: 'admin', role: 'admin', active: true }
			]);
			expect(all[0].passwordHash).not.toContain(adminPassword);
			expect((await logIn(db, 'admin', adminPassword)).userId).toBe(all[0].id);
			expect(await outcome(logIn(db, 'admin', demoPassword))).toBeInstanceOf(ApiError);
			expect(await db.select({ n: count() }).from(communities)).toEqual([{ n: 0 }]);
			expect(printed).not.toContain(adminPassword);
			const v = await versions(db);
			expect(v).toEqual({ rows: 1, distinct: 1, max: await counterValue(db) });
		});

		it('leaves a database that has users alone, even without ADMIN_PASSWORD', async () => {
			const before = await db.select().from(users);
			await prepare(db, readConfig({ GRIDWALK_DEMO: '0', DATA_DIR: dataDir }));
			await prepare(
				db,
				readConfig({ GRIDWALK_DEMO: '0', ADMIN_PASSWORD: 'another-pass', DATA_DIR: dataDir })
			);
			expect(await db.select().from(users)).toEqual(before);
			expect((await logIn(db, 'admin', adminPassword)).token).toBeTruthy();
		});
	});
});

describe('readConfig', () => {
	it('reads a good environment, with defaults for what is not set', () => {
		const config = readConfig({ DATA_DIR: 'some/dir', DATABASE_URL: '', SESSION_DAYS: '7' });
		expect(config).toMatchObject({
			databaseUrl: undefined,
			dataDir: path.resolve('some/dir'),
			demo: true,
			demoPassword: undefined,
			adminPassword: undefined,
			sessionDays: 7
		});
		expect(readConfig({}).sessionDays).toBe(30);
		expect(readConfig({ GRIDWALK_DEMO: '0' }).demo).toBe(false);
		expect(readConfig({ DATABASE_URL: 'postgres://app@db:5432/gridwalk' }).databaseUrl).toBe(
			'postgres://app@db:5432/gridwalk'
		);
	});

	it.each([
		['DATABASE_URL', 'not a url'],
		['ORIGIN', 'gridwalk.example'],
		['SESSION_DAYS', '-1'],
		['SESSION_DAYS', 'thirty'],
		['SESSION_DAYS', '1000'],
		['GRIDWALK_DEMO', 'yes'],
		['DEMO_SEED', '1.5'],
		['LOGIN_FAILURES_PER_USER', '0'],
		['LOGIN_FAILURES_PER_ADDRESS', 'many']
	])('refuses %s=%s, naming the variable', (name, value) => {
		expect(() => readConfig({ [name]: value })).toThrow(name);
	});

	it.each(['DEMO_PASSWORD', 'ADMIN_PASSWORD'])(
		'refuses %s when shorter than 8 characters, without repeating it',
		(name) => {
			let message = '';
			try {
				readConfig({ [name]: 'pw-1234' });
			} catch (error) {
				message = (error as Error).message;
			}
			expect(message).toContain(name);
			expect(message).not.toContain('pw-1234');
		}
	);

	it('names every variable that is wrong, not just the first', () => {
		expect(() => readConfig({ DATABASE_URL: 'not a url', SESSION_DAYS: '-1' })).toThrow(
			/DATABASE_URL.*SESSION_DAYS|SESSION_DAYS.*DATABASE_URL/
		);
	});
});
