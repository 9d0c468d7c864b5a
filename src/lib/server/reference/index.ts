import type {
	ReferenceImportRequest,
	ReferenceImportResult,
	ReferencePreview,
	ReferenceRowAction
} from '$lib/domain';
import { t, type Locale, type MessageKey } from '$lib/i18n';
import type { Db } from '../db';
import { insertRows, updateRows } from '../db/rows';
import { auditLog } from '../db/schema';
import { nextVersion } from '../db/version';
import { ApiError } from '../http';
import { lockImports, planImport, tableOf, type Plan, type PlannedRow, type Queryable } from './plan';
import { ImportFileError } from './source';

export { ImportFileError } from './source';

/** The plan of a file without writing anything: what would be created, updated and refused. */
export async function previewImport(
	db: Db,
	request: ReferenceImportRequest,
	locale: Locale
): Promise<ReferencePreview> {
	return described(await planned(db, request), request, locale);
}

export interface ImportContext {
	db: Db;
	actorId: string;
	requestId: string | null;
	locale: Locale;
	now?: Date;
}

/**
 * Writes the plan in ONE transaction: every written row takes a version from the global counter, so
 * devices pull it like any change, and every row is written to the audit log. While rows are refused
 * nothing is written (422 with the preview), unless the person chose to leave them out.
 */
export async function runImport(
	ctx: ImportContext,
	request: ReferenceImportRequest
): Promise<ReferenceImportResult> {
	const now = ctx.now ?? new Date();
	return ctx.db.transaction(async (tx) => {
		await lockImports(tx);
		const plan = await planned(tx, request);
		const preview = described(plan, request, ctx.locale);
		if (preview.counts.refused > 0 && !request.skipRefused) {
			throw new ApiError(
				422,
				'ROWS_REFUSED',
				'reference.refused',
				{ count: preview.counts.refused },
				{},
				{ preview }
			);
		}
		const writes = plan.rows.filter((r): r is PlannedRow & Required<Pick<PlannedRow, 'write'>> => !!r.write);
		if (writes.length === 0) return { ...preview, written: 0 };
		const table = tableOf[plan.kind];
		let version = await nextVersion(tx, writes.length);
		const created = writes.filter((r) => r.action === 'create');
		// One JSON parameter however many rows: a multi-row VALUES would pass PostgreSQL's parameter limit.
		await insertRows(
			tx,
			table,
			created.map((r) => ({ id: r.write.id, ...r.write.values, syncVersion: version++ }))
		);
		await updateRows(
			tx,
			table,
			writes
				.filter((w) => w.action === 'update')
				.map((r) => ({ id: r.write.id, ...r.write.values, syncVersion: version++ }))
		);
		const audit = (action: string, recordId: string | null, changes: Record<string, unknown>) => ({
			at: now.toISOString(),
			userId: ctx.actorId,
			requestId: ctx.requestId,
			action,
			collection: plan.kind,
			recordId,
			changes
		});
		await insertRows(tx, auditLog, [
			audit('reference.import', null, {
				file: request.fileName || request.format,
				created: created.length,
				updated: writes.length - created.length,
				refused: preview.counts.refused
			}),
			...writes.map((r) => audit(`reference.${r.action}`, r.write.id, readable(r.write.values)))
		]);
		return { ...preview, written: writes.length };
	});
}

async function planned(db: Queryable, request: ReferenceImportRequest): Promise<Plan> {
	try {
		return await planImport(db, request);
	} catch (error) {
		if (error instanceof ImportFileError) {
			throw new ApiError(400, 'BAD_FILE', error.messageKey, error.params);
		}
		throw error;
	}
}

/** The plan as the person reads it: counts, and each row's refusals in their language. */
function described(plan: Plan, request: ReferenceImportRequest, locale: Locale): ReferencePreview {
	const counts: Record<ReferenceRowAction, number> = { create: 0, update: 0, unchanged: 0, refused: 0 };
	for (const row of plan.rows) counts[row.action]++;
	return {
		kind: plan.kind,
		format: request.format,
		counts,
		rows: plan.rows.map((row) => ({
			row: row.row,
			code: row.code,
			name: row.name,
			action: row.action,
			changed: row.changed,
			errors: row.errors.map((e) => ({
				field: e.field,
				code: e.messageKey.replace('reference.error.', ''),
				message: t(locale, 'reference.errorLine', {
					field: t(locale, `reference.field.${e.field}` as MessageKey),
					message: t(locale, e.messageKey, e.params)
				})
			}))
		}))
	};
}

/** The audit log keeps what changed, a shape's outline counted rather than copied point by point. */
function readable(values: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(values).map(([field, value]) => {
			const shape = value as { type?: string; coordinates?: unknown[][] } | null;
			if (shape && typeof shape === 'object' && shape.type === 'Polygon') {
				return [field, `Polygon (${shape.coordinates?.[0]?.length ?? 0})`];
			}
			return [field, value];
		})
	);
}
