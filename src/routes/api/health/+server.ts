import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { getApp } from '$lib/server/app';

export const GET = async () => {
	const app = await getApp();
	let ok = true;
	try {
		await app.database.db.execute(sql`SELECT 1`);
	} catch {
		ok = false;
	}
	return json(
		{ ok, db: app.database.kind, schemaVersion: app.schemaVersion, version: app.version },
		{ status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
