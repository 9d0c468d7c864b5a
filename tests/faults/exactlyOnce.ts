import { inArray } from 'drizzle-orm';
import type { RejectedEntry } from '$lib/client/db';
import type { Db } from '$lib/server/db';
import * as t from '$lib/server/db/schema';
import { canonicalJson, type MadeMutation, type Snapshot } from './devices';

/** What one device did and what it holds in "needs attention" once the run has healed. */
export interface DeviceLedger {
	label: string;
	clientId: string;
	actorId: string;
	made: MadeMutation[];
	rejected: RejectedEntry[];
}

/** The field records and cases that existed before the run, from an admin device's first pull. */
export interface Baseline {
	ids: Set<string>;
	cases: Map<string, { status: string; assigneeId: string | null }>;
}

export function baselineOf(shot: Snapshot): Baseline {
	const ids = new Set<string>();
	for (const collection of ['observation', 'feedback', 'visit', 'case', 'caseEvent'] as const) {
		for (const id of shot[collection].keys()) ids.add(id);
	}
	const cases = new Map(
		[...shot.case].map(([id, json]) => {
			const { status, assigneeId } = JSON.parse(json) as { status: string; assigneeId?: string | null };
			return [id, { status, assigneeId: assigneeId ?? null }];
		})
	);
	return { ids, cases };
}

type Row = Record<string, unknown> & { id: string };
const fieldTables = { observation: t.observations, feedback: t.feedback, visit: t.visits } as const;
type FieldCollection = keyof typeof fieldTables;
const isFieldCollection = (c: string): c is FieldCollection => Object.hasOwn(fieldTables, c);

/** The records a create opens a case for (DOMAIN.md); the workload never edits the fields this reads. */
function opensCase(collection: string, args: Record<string, unknown>): boolean {
	if (collection === 'observation') return args.resolvedOnSpot === false;
	if (collection === 'feedback') return args.kind !== 'praise';
	return collection === 'visit' && args.needsFollowUp === true;
}

function byId(rows: Row[]): Map<string, Row> {
	return new Map(rows.map((row) => [row.id, row]));
}

export interface ExactlyOnceReport {
	problems: string[];
	applied: number;
	appliedByAction: Record<string, number>;
	rejectedByCode: Record<string, number>;
}

/**
 * Checks the server's database against what every device did (DESIGN.md §4 invariant 2): each mutation
 * applied once (audit log, per client and record) or refused with a reason on its device, each create
 * one row, no rows nobody made, one case per source, case moves chained compare-and-set, and the last
 * applied edit of every field is the stored value. Returns what is wrong, one line per problem.
 */
export async function checkExactlyOnce(
	db: Db,
	devices: DeviceLedger[],
	baseline: Baseline
): Promise<ExactlyOnceReport> {
	const problems: string[] = [];
	const clientIds = devices.map((d) => d.clientId);
	const audit = await db
		.select()
		.from(t.auditLog)
		.where(inArray(t.auditLog.clientId, clientIds))
		.orderBy(t.auditLog.id);
	const clients = await db.select().from(t.syncClients).where(inArray(t.syncClients.clientId, clientIds));
	const lastIds = new Map(clients.map((c) => [c.clientId, Number(c.lastMutationId)]));
	const rows = {
		observation: byId((await db.select().from(t.observations)) as Row[]),
		feedback: byId((await db.select().from(t.feedback)) as Row[]),
		visit: byId((await db.select().from(t.visits)) as Row[]),
		case: byId((await db.select().from(t.cases)) as Row[]),
		caseEvent: byId((await db.select().from(t.caseEvents)) as Row[])
	};

	const appliedByAction: Record<string, number> = {};
	const rejectedByCode: Record<string, number> = {};
	for (const row of audit) appliedByAction[row.action] = (appliedByAction[row.action] ?? 0) + 1;
	const created = new Map<string, MadeMutation>();
	for (const device of devices) {
		const { label, made, rejected } = device;
		const applied = audit.filter((row) => row.clientId === device.clientId);
		const ids = made.map((m) => m.id).sort((a, b) => a - b);
		if (ids.some((id, i) => id !== i + 1)) problems.push(`${label}: mutation ids are not 1..${made.length}`);
		if ((lastIds.get(device.clientId) ?? 0) !== made.length) {
			problems.push(
				`${label}: server's last mutation id is ${lastIds.get(device.clientId)}, made ${made.length}`
			);
		}
		if (applied.length + rejected.length !== made.length) {
			problems.push(
				`${label}: made ${made.length} mutations, applied ${applied.length} + needs attention ${rejected.length}`
			);
		}
		for (const entry of rejected) {
			rejectedByCode[entry.code] = (rejectedByCode[entry.code] ?? 0) + 1;
			if (!entry.code || !entry.message)
				problems.push(`${label}: refusal of mutation ${entry.id} has no reason`);
		}
		// Per mutation name and record: made = applied + refused, so a loss or a double points at its record.
		const tally = new Map<string, number[]>();
		const count = (key: string, delta: number, id?: number) => {
			const [n = 0, ...madeIds] = tally.get(key) ?? [];
			tally.set(key, [n + delta, ...madeIds, ...(id === undefined ? [] : [id])]);
		};
		for (const m of made) count(`${m.name} ${m.recordId}`, 1, m.id);
		for (const row of applied) count(`${row.action} ${row.recordId}`, -1);
		for (const entry of rejected) count(`${entry.mutation.name} ${entry.recordId}`, -1);
		const off = [...tally].filter(([, [n]]) => n !== 0);
		for (const [key, [n, ...madeIds]] of off.slice(0, 8)) {
			const what = n > 0 ? `${n} neither applied nor in needs attention` : `${-n} applied more than made`;
			problems.push(`${label}: ${key}: ${what} (device mutation ids ${madeIds.join(', ')})`);
		}
		if (off.length > 8)
			problems.push(`${label}: ${off.length - 8} more records with lost or doubled mutations`);

		const refused = new Set(rejected.map((r) => r.id));
		for (const m of made) {
			if (!m.name.endsWith('.create') && m.name !== 'caseEvent.add') continue;
			if (refused.has(m.id)) continue;
			const collection = m.collection as FieldCollection | 'caseEvent';
			const row = rows[collection].get(m.recordId);
			if (!row) problems.push(`${label}: ${m.name} ${m.recordId} (mutation ${m.id}) is not on the server`);
			else if (row.by !== device.actorId || row.deletedAt) {
				problems.push(
					`${label}: ${m.name} ${m.recordId} is stored with by=${row.by}, deleted=${row.deletedAt}`
				);
			}
			created.set(m.recordId, m);
		}
	}

	// Nothing nobody made: every row the run added comes from a device's create (or is a case it opened).
	for (const collection of ['observation', 'feedback', 'visit', 'caseEvent'] as const) {
		for (const row of rows[collection].values()) {
			const serverEvent = collection === 'caseEvent' && row.kind !== 'comment';
			if (!serverEvent && !baseline.ids.has(row.id) && !created.has(row.id)) {
				problems.push(`${collection} ${row.id} on the server was made by no device`);
			}
		}
	}
	const casesBySource = new Map<string, Row[]>();
	for (const row of rows.case.values()) {
		const source = row.source as { type: string; id: string };
		casesBySource.set(source.id, [...(casesBySource.get(source.id) ?? []), row]);
		if (baseline.ids.has(row.id) || baseline.ids.has(source.id)) continue;
		const maker = created.get(source.id);
		if (!maker || maker.collection !== source.type)
			problems.push(`case ${row.id} has a source no device made`);
	}
	for (const [source, cases] of casesBySource) {
		const ofTheRun = cases.some((c) => !baseline.ids.has(c.id));
		if (cases.length > 1 && ofTheRun) problems.push(`${cases.length} cases for source ${source}`);
	}
	for (const m of created.values()) {
		if (!isFieldCollection(m.collection)) continue;
		const opens = opensCase(m.collection, m.args as Record<string, unknown>);
		const count = casesBySource.get(m.recordId)?.length ?? 0;
		if (count !== (opens ? 1 : 0)) problems.push(`${m.collection} ${m.recordId} has ${count} cases`);
	}

	// Events the server writes for applied commands: one per command, none for a retry.
	const newEvents = [...rows.caseEvent.values()].filter((row) => !baseline.ids.has(row.id));
	const newCases = [...rows.case.values()].filter((row) => !baseline.ids.has(row.id));
	const eventCounts = {
		opened: [newEvents.filter((e) => e.kind === 'transition' && !e.from).length, newCases.length],
		moved: [
			newEvents.filter((e) => e.kind === 'transition' && e.from).length,
			appliedByAction['case.transition'] ?? 0
		],
		assigned: [newEvents.filter((e) => e.kind === 'assignment').length, appliedByAction['case.assign'] ?? 0]
	};
	for (const [kind, [events, expected]] of Object.entries(eventCounts)) {
		if (events !== expected) problems.push(`${events} "${kind}" case events for ${expected} applied`);
	}

	// Compare-and-set: each applied move starts where the previous one ended; the last one is the status.
	const expected = new Map<string, { status: string; assigneeId: string | null }>();
	for (const row of rows.case.values()) {
		expected.set(row.id, baseline.cases.get(row.id) ?? { status: 'reported', assigneeId: null });
	}
	const fieldValues = new Map<string, unknown>();
	for (const row of audit) {
		const changes = (row.changes ?? {}) as Record<string, unknown>;
		const state = row.collection === 'case' ? expected.get(row.recordId!) : undefined;
		if (row.action === 'case.transition' && state) {
			if (changes.from !== state.status) {
				problems.push(
					`case ${row.recordId}: ${changes.from} -> ${changes.to} applied while it was ${state.status}`
				);
			}
			state.status = changes.to as string;
			if (changes.to === 'assigned') state.assigneeId = changes.assigneeId as string;
		} else if (row.action === 'case.assign' && state) {
			state.assigneeId = (changes.assigneeId as string | null) ?? null;
		} else if (row.action.endsWith('.update')) {
			for (const [field, value] of Object.entries(changes)) {
				fieldValues.set(`${row.collection}\n${row.recordId}\n${field}`, value);
			}
		}
	}
	for (const [id, state] of expected) {
		const row = rows.case.get(id)!;
		if (row.status !== state.status || (row.assigneeId ?? null) !== state.assigneeId) {
			problems.push(
				`case ${id} is ${row.status}/${row.assigneeId ?? '-'}, its applied commands say ${state.status}/${state.assigneeId ?? '-'}`
			);
		}
	}
	for (const [key, value] of fieldValues) {
		const [collection, id, field] = key.split('\n');
		const stored = isFieldCollection(collection) ? rows[collection].get(id)?.[field] : undefined;
		if (canonicalJson(stored ?? null) !== canonicalJson(value ?? null)) {
			problems.push(
				`${collection} ${id} ${field} is ${canonicalJson(stored)}, last applied edit ${canonicalJson(value)}`
			);
		}
	}
	return { problems, applied: audit.length, appliedByAction, rejectedByCode };
}
