import { desc, eq, max } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import {
	can,
	templateDraft,
	templateProblems,
	templateRevision,
	type Actor,
	type ChecklistTemplate
} from '$lib/domain';
import { t, type Locale } from '$lib/i18n';
import type { Db } from '../db';
import { auditLog, checklistTemplates, users } from '../db/schema';
import { nextVersion } from '../db/version';
import { ApiError, forbidden } from '../http';

/**
 * Checklist templates as coordinators and admins write them (DOMAIN.md: "manage … templates"). Every
 * save is a new row (id, version + 1) with a fresh sync version, so devices pull it; the rows before it
 * stay, so a patrol keeps the version it was begun with. Each save is written to the audit log.
 */
export interface TemplateVersion extends ChecklistTemplate {
	/** From the audit log; null for templates that came with the data (the demo district). */
	savedAt: string | null;
	savedBy: string | null;
}

/** A template with every version it has had, newest first. */
export interface TemplateHistory {
	id: string;
	versions: TemplateVersion[];
}

const auditCollection = 'checklistTemplate';

/** A real checklist is a few KB; this leaves room for 100 items with long texts and many choices. */
export const templateBodyLimit = 1024 * 1024;

export function requireTemplateManager(actor: Actor): void {
	if (!can(actor, 'manageTemplates')) throw forbidden();
}

/** A body that does not make a valid template: 400 with each problem at its path, in the person's language. */
export function parseTemplate<S extends typeof templateDraft | typeof templateRevision>(
	schema: S,
	body: unknown,
	locale: Locale
): z.infer<S> {
	const parsed = schema.safeParse(body);
	if (parsed.success) return parsed.data as z.infer<S>;
	const issues = templateProblems(parsed.error).map((p) => ({
		path: p.path,
		code: p.code,
		message: t(locale, `checklists.problem.${p.code}`, p.params)
	}));
	const details = issues
		.map((i) => `${i.path || '(body)'}: ${i.message}`)
		.join(locale === 'en' ? '; ' : '；');
	throw new ApiError(
		400,
		'BAD_TEMPLATE',
		'checklists.invalid',
		{ count: issues.length, details },
		{},
		{ issues }
	);
}

export async function listTemplates(db: Db): Promise<TemplateHistory[]> {
	const rows = await db
		.select({
			id: checklistTemplates.id,
			version: checklistTemplates.version,
			title: checklistTemplates.title,
			items: checklistTemplates.items
		})
		.from(checklistTemplates)
		.orderBy(checklistTemplates.id, desc(checklistTemplates.version));
	const saves = await db
		.select({
			recordId: auditLog.recordId,
			at: auditLog.at,
			changes: auditLog.changes,
			who: users.displayName
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.userId))
		.where(eq(auditLog.collection, auditCollection));
	const saved = new Map(saves.map((s) => [`${s.recordId}:${s.changes?.version}`, s]));
	const histories = new Map<string, TemplateHistory>();
	for (const row of rows) {
		const save = saved.get(`${row.id}:${row.version}`);
		const version: TemplateVersion = {
			...row,
			savedAt: save ? save.at.toISOString() : null,
			savedBy: save?.who ?? null
		};
		const history = histories.get(row.id);
		if (history) history.versions.push(version);
		else histories.set(row.id, { id: row.id, versions: [version] });
	}
	return [...histories.values()];
}

export interface SaveContext {
	db: Db;
	actor: Actor;
	requestId?: string;
	now?: Date;
}

type Draft = { title: ChecklistTemplate['title']; items: ChecklistTemplate['items'] };

/** The first version of a new template. */
export async function createTemplate(ctx: SaveContext, draft: Draft): Promise<ChecklistTemplate> {
	requireTemplateManager(ctx.actor);
	return write(ctx, uuidv7(), draft, null);
}

/**
 * The next version of a template, made from `baseVersion`: when someone else saved in between, 409 with
 * the version they made, so that no change is lost without the person knowing.
 */
export async function reviseTemplate(
	ctx: SaveContext,
	id: string,
	revision: Draft & { baseVersion: number }
): Promise<ChecklistTemplate> {
	requireTemplateManager(ctx.actor);
	return write(ctx, id, revision, revision.baseVersion);
}

async function write(
	ctx: SaveContext,
	id: string,
	draft: Draft,
	baseVersion: number | null
): Promise<ChecklistTemplate> {
	return ctx.db.transaction(async (tx) => {
		// The counter's row lock orders every writer: the newest version read below is the committed one.
		const syncVersion = await nextVersion(tx);
		let version = 1;
		if (baseVersion !== null) {
			const [{ latest }] = await tx
				.select({ latest: max(checklistTemplates.version) })
				.from(checklistTemplates)
				.where(eq(checklistTemplates.id, id));
			if (latest === null) throw new ApiError(404, 'NOT_FOUND', 'checklists.unknown');
			if (latest !== baseVersion)
				throw new ApiError(409, 'STALE_TEMPLATE', 'checklists.stale', { version: latest }, {}, { latest });
			version = latest + 1;
		}
		const template: ChecklistTemplate = { id, version, title: draft.title, items: draft.items };
		await tx.insert(checklistTemplates).values({ ...template, syncVersion });
		await tx.insert(auditLog).values({
			at: ctx.now ?? new Date(),
			userId: ctx.actor.id,
			requestId: ctx.requestId ?? null,
			action: baseVersion === null ? 'checklistTemplate.create' : 'checklistTemplate.revise',
			collection: auditCollection,
			recordId: template.id,
			changes: { version: template.version, from: baseVersion, title: template.title, items: template.items }
		});
		return template;
	});
}
