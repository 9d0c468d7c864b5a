import { randomUUID } from 'node:crypto';
import type { Db } from '$lib/server/db';
import * as t from '$lib/server/db/schema';
import type { District } from './sync-fixtures';

/**
 * Rows written straight into the tables, with the exact times the report suites count by (the sync
 * path would stamp them with the server's clock). The district keeps Asia/Shanghai time (UTC+8).
 */
export const timeZone = 'Asia/Shanghai';
const point = { lat: 33.63, lng: 116.98 };

let version = 1_000_000;
const v = () => ++version;

type Compound = keyof District['compounds'];

export function writer(db: Db, d: District) {
	const communityOf = (compound: Compound) => (compound === 'sA' ? d.communities.south : d.communities.north);
	const gridOf = (compound: Compound) => ({ nA: d.grids.gNA, nB: d.grids.gNB, sA: d.grids.gSA })[compound];
	const place = (compound: Compound) => ({
		communityId: communityOf(compound),
		compoundId: d.compounds[compound],
		gridId: gridOf(compound)
	});

	return {
		async surveys(compound: Compound, month: string, overall: number[]) {
			if (overall.length === 0) return;
			const rows = overall.map((score) => ({
				id: randomUUID(),
				...place(compound),
				month,
				scores: { cleanliness: 3, safety: 3, parking: 3, responsiveness: 3, overall: score },
				overall: score,
				by: d.users.coordinator.id,
				syncVersion: v()
			}));
			for (let i = 0; i < rows.length; i += 500) await db.insert(t.surveys).values(rows.slice(i, i + 500));
		},

		/** A case; `closedAt` also writes its closing transition. */
		async case(
			compound: Compound,
			fields: {
				status: string;
				createdAt: string;
				dueAt?: string;
				resolvedAt?: string;
				closedAt?: string;
				updatedAt?: string;
				satisfaction?: number;
				category?: string;
				title?: string;
			}
		): Promise<string> {
			const id = randomUUID();
			const updatedAt = fields.updatedAt ?? fields.closedAt ?? fields.resolvedAt ?? fields.createdAt;
			await db.insert(t.cases).values({
				id,
				source: { type: 'observation', id: randomUUID() },
				title: fields.title ?? `case ${id.slice(0, 4)}`,
				category: fields.category ?? 'parking',
				priority: 'normal',
				...place(compound),
				status: fields.status,
				dueAt: fields.dueAt ? new Date(fields.dueAt) : null,
				resolvedAt: fields.resolvedAt ? new Date(fields.resolvedAt) : null,
				satisfaction: fields.satisfaction ?? null,
				createdAt: new Date(fields.createdAt),
				updatedAt: new Date(updatedAt),
				syncVersion: v()
			});
			if (fields.closedAt) {
				await db.insert(t.caseEvents).values({
					id: randomUUID(),
					caseId: id,
					...place(compound),
					kind: 'transition',
					from: 'resolved',
					to: 'closed',
					at: new Date(fields.closedAt),
					by: d.users.coordinator.id,
					syncVersion: v()
				});
			}
			return id;
		},

		async patrol(compound: Compound, startedAt: string, status: 'submitted' | 'draft' = 'submitted') {
			await db.insert(t.patrols).values({
				id: randomUUID(),
				templateId: randomUUID(),
				templateVersion: 1,
				...place(compound),
				startedAt: new Date(startedAt),
				status,
				by: d.users.volunteer.id,
				syncVersion: v()
			});
		},

		async observation(
			compound: Compound,
			observedAt: string,
			fields: { category?: string; deleted?: boolean } = {}
		) {
			const category = fields.category ?? 'parking';
			await db.insert(t.observations).values({
				id: randomUUID(),
				category,
				subtype: `${category}.other`,
				severity: 'low',
				location: { ...point, accuracy: 5 },
				...place(compound),
				observedAt: new Date(observedAt),
				by: d.users.volunteer.id,
				deletedAt: fields.deleted ? new Date(observedAt) : null,
				syncVersion: v()
			});
		}
	};
}
