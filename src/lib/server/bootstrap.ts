import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import type { Config } from './config';
import type { Db } from './db';
import { users } from './db/schema';
import { hashPassword } from './auth/password';
import { loadDemoDistrict } from './demo/load';
import { nextVersion } from './db/version';
import { log } from './log';

export const demoLogins = ['admin', 'coordinator', 'leader', 'volunteer'] as const;

/**
 * On an empty database: the demo district (demo mode, the default) or a single admin.
 * A database that already has users is left as it is.
 */
export async function prepareAccounts(db: Db, config: Config) {
	const [{ n }] = await db.select({ n: count() }).from(users);
	if (config.demo) {
		const password = demoPassword(config);
		if (n === 0) {
			const started = Date.now();
			const loaded = await loadDemoDistrict(db, { seed: config.demoSeed, password, now: new Date() });
			log.info({ ...loaded, ms: Date.now() - started }, 'demo district loaded');
		}
		printDemoLogins(password);
		return;
	}
	if (n > 0) return;
	if (!config.adminPassword) {
		throw new Error(
			'gridwalk cannot start: GRIDWALK_DEMO=0 on an empty database needs ADMIN_PASSWORD (at least 8 characters) for the first admin.'
		);
	}
	await db.transaction(async (tx) => {
		await tx.insert(users).values({
			id: randomUUID(),
			username: 'admin',
			displayName: '管理员',
			role: 'admin',
			passwordHash: await hashPassword(config.adminPassword!),
			syncVersion: await nextVersion(tx)
		});
	});
	log.info({ username: 'admin' }, 'first admin created');
}

/** DEMO_PASSWORD when set; else one made at the first start and kept beside the data (mode 600). */
function demoPassword(config: Config): string {
	if (config.demoPassword) return config.demoPassword;
	const file = path.join(config.dataDir, 'demo-password');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	const password = randomBytes(9).toString('base64url');
	mkdirSync(config.dataDir, { recursive: true });
	writeFileSync(file, `${password}\n`, { mode: 0o600 });
	chmodSync(file, 0o600);
	return password;
}

/** Printed to the terminal, never to the structured log: logs do not carry passwords. */
function printDemoLogins(password: string) {
	const lines = [
		'',
		'  gridwalk demo district — logins (demo mode only)',
		...demoLogins.map((u) => `    ${u.padEnd(12)} ${password}`),
		'  Every other demo account has the same password.',
		''
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}
