import { sql, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditPage, AuditQuery } from '$lib/domain';
import type { Db } from '../db';
import { dayEnd, dayStart, rows } from '../reports/where';

interface Row {
	id: string | number;
	at: string;
	user_id: string | null;
	username: string | null;
	display_name: string | null;
	client_id: string | null;
	request_id: string | null;
	action: string;
	collection: string | null;
	record_id: string | null;
	changes: Record<string, unknown> | string | null;
}

/**
 * One page of the audit log, newest first, with the filters applied. Keyset on (`at`, `id`): the next
 * page starts strictly after the cursor's exact time (to the microsecond) and id, on the (at, id) index.
 */
export async function auditPage(db: Db, query: AuditQuery, timeZone: string): Promise<AuditPage> {
	const where: SQL[] = [sql`TRUE`];
	if (query.user) where.push(sql`a.user_id = (SELECT id FROM users WHERE username = ${query.user})`);
	if (query.collection) where.push(sql`a.collection = ${query.collection}`);
	if (query.recordId) where.push(sql`a.record_id = ${query.recordId}`);
	if (query.action) {
		where.push(
			query.action.endsWith('.')
				? sql`a.action LIKE ${`${query.action.replace(/[%_\\]/g, '\\$&')}%`}`
				: sql`a.action = ${query.action}`
		);
	}
	if (query.from) where.push(sql`a.at >= ${dayStart(query.from, timeZone)}`);
	if (query.to) where.push(sql`a.at < ${dayEnd(query.to, timeZone)}`);
	if (query.cursor) {
		const [at, id] = query.cursor.split('_');
		where.push(sql`(a.at, a.id) < (${at}::timestamptz, ${id}::bigint)`);
	}
	const found = await rows<Row>(
		db,
		sql`SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
			a.user_id, u.username, u.display_name, a.client_id, a.request_id, a.action, a.collection,
			a.record_id, a.changes
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
		WHERE ${sql.join(where, sql` AND `)}
		ORDER BY a.at DESC, a.id DESC
		LIMIT ${query.limit + 1}`
	);
	const page = found.slice(0, query.limit).map(toEntry);
	const last = found.length > query.limit ? found[query.limit - 1] : null;
	return { entries: page, next: last ? `${last.at}_${last.id}` : null };
}

function toEntry(row: Row): AuditEntry {
	return {
		id: String(row.id),
		at: row.at.replace(/(\.\d{3})\d{3}Z$/, '$1Z'),
		user:
			row.user_id && row.username
				? { id: row.user_id, username: row.username, displayName: row.display_name ?? row.username }
				: null,
		clientId: row.client_id,
		requestId: row.request_id,
		action: row.action,
		collection: row.collection,
		recordId: row.record_id,
		changes: typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes
	};
}
