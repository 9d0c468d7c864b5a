import { and, asc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { CaseStatus } from '$lib/domain';
import type { Locale } from '$lib/i18n';
import type { Db } from '../db';
import { caseEvents, cases } from '../db/schema';
import { applyMutation } from '../sync/apply';
import { Refusal } from '../sync/refusal';
import { PushStore } from '../sync/storage';
import { Open311Error } from './format';
import { intakeActor } from './intake';
import { maskPhonesIn, statusNotes } from './requests';

/**
 * The `servicerequestupdates` extension FixMyStreet uses: the case's moves as updates a client can
 * show (GET), and a resident's comment sent back on a request (POST).
 */

/** FixMyStreet's update states for each step of the case workflow. */
const updateStatus: Readonly<Record<CaseStatus, string>> = {
	reported: 'OPEN',
	triaged: 'INVESTIGATING',
	assigned: 'ACTION_SCHEDULED',
	in_progress: 'IN_PROGRESS',
	resolved: 'FIXED',
	closed: 'CLOSED',
	reopened: 'OPEN',
	duplicate: 'DUPLICATE',
	rejected: 'NOT_COUNCILS_RESPONSIBILITY'
};

const maxUpdates = 1000;
const publicSource = inArray(sql<string>`${cases.source}->>'type'`, ['observation', 'feedback']);

export async function findUpdates(
	db: Db,
	window: { start?: Date; end?: Date },
	locale: Locale,
	now = new Date()
) {
	const start = window.start ?? new Date((window.end ?? now).getTime() - 86_400_000);
	const rows = await db
		.select({
			id: caseEvents.id,
			caseId: caseEvents.caseId,
			to: caseEvents.to,
			body: caseEvents.body,
			at: caseEvents.at
		})
		.from(caseEvents)
		.innerJoin(cases, eq(cases.id, caseEvents.caseId))
		.where(
			and(
				eq(caseEvents.kind, 'transition'),
				isNull(cases.deletedAt),
				publicSource,
				gte(caseEvents.at, start),
				window.end ? lte(caseEvents.at, window.end) : undefined
			)
		)
		.orderBy(asc(caseEvents.at))
		.limit(maxUpdates);
	return rows.map((row) => ({
		update_id: row.id,
		service_request_id: row.caseId,
		status: updateStatus[row.to as CaseStatus] ?? 'OPEN',
		updated_datetime: row.at.toISOString(),
		description: statusNotes(row.to ?? 'reported', row.body ? maskPhonesIn(row.body) : null, locale),
		media_url: ''
	}));
}

/** A comment from the client's side onto a public case. */
export async function takeUpdate(
	db: Db,
	params: { get(name: string): string | null },
	intake: { client: string; locale: Locale; now?: Date }
) {
	const now = intake.now ?? new Date();
	const caseId = params.get('service_request_id')?.trim();
	const description = params.get('description')?.trim();
	if (!caseId) throw new Open311Error(400, 'open311.error.missing', { field: 'service_request_id' });
	if (!description) throw new Open311Error(400, 'open311.error.missing', { field: 'description' });
	const [known] = /^[0-9a-f-]{36}$/i.test(caseId)
		? await db
				.select({ id: cases.id })
				.from(cases)
				.where(and(eq(cases.id, caseId), isNull(cases.deletedAt), publicSource))
		: [];
	if (!known) throw new Open311Error(404, 'open311.error.unknownRequest', { id: caseId });

	const actor = await intakeActor(db);
	const id = uuidv7();
	await db.transaction(async (tx) => {
		const store = await PushStore.open(tx);
		try {
			await applyMutation(
				store,
				{
					actor,
					clientId: `open311:${intake.client}`,
					requestId: `open311-${id}`,
					locale: intake.locale,
					now
				},
				{
					id: 1,
					name: 'caseEvent.add',
					args: {
						id,
						caseId,
						kind: 'comment',
						body: description.slice(0, 4000),
						photos: [],
						at: now.toISOString()
					},
					clientTime: now.toISOString()
				}
			);
		} catch (error) {
			if (error instanceof Refusal) throw new Open311Error(400, error.messageKey, error.params);
			throw error;
		}
		await store.close();
	});
	return { update_id: id };
}
