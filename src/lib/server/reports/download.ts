import {
	can,
	exportCollections,
	exportFormats,
	type ExportCollection,
	type ExportFormat,
	type Person
} from '$lib/domain';
import { t, type Locale } from '$lib/i18n';
import type { Db } from '../db';
import { auditLog } from '../db/schema';
import { ApiError, forbidden, unauthenticated } from '../http';
import { exportColumns, exportRows, hasPersonal } from './exports';
import { contentTypes, writeExport } from './formats';
import { filtersOf } from './request';
import { localDay } from './where';

/**
 * `GET /api/export/<collection>.<format>?<dashboard filters>[&includePersonal=1]`. Coordinators and
 * admins export what they may see; residents' names and phones only when asked, by a role that may
 * see them, and every such export is written to the audit log.
 */
export interface DownloadContext {
	db: Db;
	user: Person | null;
	locale: Locale;
	timeZone: string;
	requestId?: string;
	now?: Date;
}

export function parseExportFile(file: string): { collection: ExportCollection; format: ExportFormat } | null {
	const match = /^([a-z]+)\.([a-z]+)$/.exec(file);
	if (!match) return null;
	const [, collection, format] = match;
	if (!(exportCollections as readonly string[]).includes(collection)) return null;
	if (!(exportFormats as readonly string[]).includes(format)) return null;
	return { collection: collection as ExportCollection, format: format as ExportFormat };
}

export async function download(
	ctx: DownloadContext,
	file: string,
	query: URLSearchParams
): Promise<Response> {
	const user = ctx.user;
	if (!user) throw unauthenticated();
	if (!can(user, 'export')) throw forbidden();
	const parsed = parseExportFile(file);
	if (!parsed) throw new ApiError(404, 'NOT_FOUND', 'error.notFound');
	const { collection, format } = parsed;
	const filters = filtersOf(query);
	const personal = query.get('includePersonal') === '1' && hasPersonal(collection);
	if (personal) {
		if (!can(user, 'seePersonal')) throw forbidden();
		await ctx.db.insert(auditLog).values({
			at: ctx.now ?? new Date(),
			userId: user.id,
			requestId: ctx.requestId ?? null,
			action: 'export.personal',
			collection,
			changes: { format, filters }
		});
	}
	const columns = exportColumns(collection, personal);
	const body = writeExport({
		format,
		columns,
		headers: columns.map((column) => t(ctx.locale, column.label)),
		pages: exportRows(
			{ db: ctx.db, scope: user.scope, timeZone: ctx.timeZone },
			collection,
			filters,
			personal
		),
		timeZone: ctx.timeZone,
		sheetName: t(ctx.locale, `review.export.${collection}`)
	});
	const name = `gridwalk-${collection}-${localDay(ctx.now ?? new Date(), ctx.timeZone)}.${format}`;
	return new Response(body, {
		headers: {
			'content-type': contentTypes[format],
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
}
