import { z } from 'zod';

/**
 * The audit log's filters and pages, shared by `/review/audit` and `GET /api/audit`. Pages are keyset
 * pages on (`at`, `id`), newest first: the cursor is the last entry's exact time and id, so a page costs
 * the same on the millionth row as on the first (no OFFSET).
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const auditCursor = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z_\d{1,19}$/, 'cursor');

export const auditQuery = z
	.object({
		/** The person's username. */
		user: z.string().trim().min(1).max(40).optional(),
		collection: z
			.string()
			.regex(/^[a-zA-Z]{1,40}$/, 'collection')
			.optional(),
		recordId: z.string().trim().min(1).max(80).optional(),
		/** Exact action (`case.transition`), or a prefix ending in a dot (`reference.`). */
		action: z
			.string()
			.regex(/^[a-zA-Z]+(\.[a-zA-Z]+)*\.?$/, 'action')
			.max(60)
			.optional(),
		from: day.optional(),
		to: day.optional(),
		cursor: auditCursor.optional(),
		limit: z.coerce.number().int().min(1).max(200).default(50)
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from ≤ to', path: ['to'] });
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditQueryNames = [
	'user',
	'collection',
	'recordId',
	'action',
	'from',
	'to',
	'cursor',
	'limit'
] as const;

/** The query string read into checked filters; empty values count as absent. */
export function auditQueryFrom(query: URLSearchParams) {
	return auditQuery.safeParse(
		Object.fromEntries(auditQueryNames.flatMap((name) => (query.get(name) ? [[name, query.get(name)]] : [])))
	);
}

export interface AuditEntry {
	id: string;
	at: string;
	user: { id: string; username: string; displayName: string } | null;
	clientId: string | null;
	requestId: string | null;
	action: string;
	collection: string | null;
	recordId: string | null;
	changes: Record<string, unknown> | null;
}

/** What `GET /api/audit` answers: one page, and the cursor of the next (null on the last page). */
export interface AuditPage {
	entries: AuditEntry[];
	next: string | null;
}

/**
 * "What changed" as `field: value` lines a person can read: nested objects by their dotted path,
 * lists joined, long values cut. Phones were masked when the entry was written.
 */
export function changeLines(changes: Record<string, unknown> | null, maxValue = 120): [string, string][] {
	if (!changes) return [];
	const lines: [string, string][] = [];
	const walk = (prefix: string, value: unknown) => {
		if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length <= 8) {
			for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, inner);
			return;
		}
		lines.push([prefix, shown(value, maxValue)]);
	};
	for (const [key, value] of Object.entries(changes)) walk(key, value);
	return lines;
}

function shown(value: unknown, max: number): string {
	let text: string;
	if (value === null || value === undefined) text = '—';
	else if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
		text = value.length ? value.join(', ') : '—';
	else if (typeof value === 'object') text = JSON.stringify(value);
	else text = String(value);
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
