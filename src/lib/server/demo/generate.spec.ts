import { describe, expect, test } from 'vitest';
import {
	building,
	caseEvent,
	caseRecord,
	can,
	caseMachine,
	caseStatuses,
	checklistTemplate,
	community,
	compound,
	feedback,
	grid,
	observation,
	patrol,
	serviceLevelHours,
	survey,
	team,
	user,
	visit,
	type Actor,
	type CaseStatus,
	type Place,
	type Polygon,
	type User
} from '$lib/domain';
import type { z } from 'zod';
import { demoAccounts, generateDistrict, type DemoDistrict } from './generate';

type Position = [number, number];
type Ring = Position[];

const configs = [
	{ seed: 7, now: new Date('2025-11-20T09:30:00+08:00') },
	{ seed: 20_240_915, now: new Date('2026-03-01T00:30:00+08:00') }
];

const schemas: { [K in keyof DemoDistrict]: z.ZodType } = {
	communities: community,
	compounds: compound,
	buildings: building,
	grids: grid,
	teams: team,
	checklistTemplates: checklistTemplate,
	users: user,
	patrols: patrol,
	observations: observation,
	feedback,
	visits: visit,
	surveys: survey,
	cases: caseRecord,
	caseEvents: caseEvent
};

/** Every move the demo wrote must be one the case machine allows; creation is the move from nothing to reported. */
const allowedFrom = (state: CaseStatus | 'start'): string[] =>
	state === 'start' ? ['reported'] : Object.keys(caseMachine[state]);

const ringOf = (p: Polygon): Ring => p.coordinates[0] as Ring;

function bbox(ring: Ring) {
	const xs = ring.map((p) => p[0]);
	const ys = ring.map((p) => p[1]);
	return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

function inside(ring: Ring, [x, y]: Position): boolean {
	let result = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = !result;
	}
	return result;
}

function segmentsTouch(a: Position, b: Position, c: Position, d: Position): boolean {
	const orient = (p: Position, q: Position, r: Position) =>
		Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
	const onSegment = (p: Position, q: Position, r: Position) =>
		Math.min(p[0], r[0]) <= q[0] &&
		q[0] <= Math.max(p[0], r[0]) &&
		Math.min(p[1], r[1]) <= q[1] &&
		q[1] <= Math.max(p[1], r[1]);
	const [o1, o2, o3, o4] = [orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)];
	if (o1 !== o2 && o3 !== o4) return true;
	return (
		(o1 === 0 && onSegment(a, c, b)) ||
		(o2 === 0 && onSegment(a, d, b)) ||
		(o3 === 0 && onSegment(c, a, d)) ||
		(o4 === 0 && onSegment(c, b, d))
	);
}

/** Two simple polygons overlap (or touch) when an edge crosses an edge or one holds a vertex of the other. */
function overlap(a: Ring, b: Ring): boolean {
	const ba = bbox(a);
	const bb = bbox(b);
	if (ba.x1 < bb.x0 || bb.x1 < ba.x0 || ba.y1 < bb.y0 || bb.y1 < ba.y0) return false;
	for (let i = 0; i + 1 < a.length; i++) {
		for (let j = 0; j + 1 < b.length; j++) if (segmentsTouch(a[i], a[i + 1], b[j], b[j + 1])) return true;
	}
	return inside(b, a[0]) || inside(a, b[0]);
}

function overlappingPairs(polygons: Polygon[]): number {
	const rings = polygons.map(ringOf);
	let pairs = 0;
	for (let i = 0; i < rings.length; i++)
		for (let j = i + 1; j < rings.length; j++) if (overlap(rings[i], rings[j])) pairs++;
	return pairs;
}

/** Local (UTC+8) month of an instant. */
const monthOf = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 7);

function lastFullMonth(now: Date): string {
	const local = new Date(now.getTime() + 8 * 3_600_000);
	return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

function* strings(value: unknown, path = ''): Generator<[string, string]> {
	if (typeof value === 'string') yield [path, value];
	else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
	else if (value && typeof value === 'object')
		for (const [k, v] of Object.entries(value)) yield* strings(v, `${path}.${k}`);
}

describe.each(configs)('demo district (seed $seed, now $now)', ({ seed, now }) => {
	const d = generateDistrict({ seed, now });
	const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((r) => [r.id, r]));
	const communities = byId(d.communities);
	const compounds = byId(d.compounds);
	const buildings = byId(d.buildings);
	const grids = byId(d.grids);
	const teams = byId(d.teams);
	const users = byId(d.users);
	const cases = byId(d.cases);
	const templates = byId(d.checklistTemplates);

	test('every record parses with its schema', () => {
		for (const key of Object.keys(schemas) as (keyof DemoDistrict)[]) {
			for (const record of d[key]) {
				const parsed = schemas[key].safeParse(record);
				expect(parsed.success, `${key} ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
			}
		}
	});

	test('sizes match the demo district of DOMAIN.md', () => {
		expect(d.communities).toHaveLength(39);
		expect(d.compounds.length).toBeGreaterThanOrEqual(180);
		expect(d.compounds.length).toBeLessThanOrEqual(220);
		expect(d.buildings.length).toBeGreaterThanOrEqual(1350);
		expect(d.buildings.length).toBeLessThanOrEqual(1650);
		expect(d.grids.length).toBeGreaterThanOrEqual(270);
		expect(d.grids.length).toBeLessThanOrEqual(330);
		expect(d.teams).toHaveLength(6);
		expect(d.checklistTemplates).toHaveLength(3);
		const field =
			d.patrols.length + d.observations.length + d.feedback.length + d.visits.length + d.surveys.length;
		expect(field).toBeGreaterThan(3000);
		expect(field + d.cases.length).toBeLessThan(15_000);
	});

	test('ids are unique across the district, names where people tell things apart by name', () => {
		const ids = Object.values(d).flatMap((list: { id: string }[]) => list.map((r) => r.id));
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(d.communities.map((c) => c.name)).size).toBe(39);
		expect(new Set(d.communities.map((c) => c.code)).size).toBe(39);
		expect(new Set(d.compounds.map((c) => c.name)).size).toBe(d.compounds.length);
		expect(new Set(d.grids.map((g) => g.name)).size).toBe(d.grids.length);
		expect(new Set(d.users.map((u) => u.username)).size).toBe(d.users.length);
	});

	test('no two compound boundaries overlap, no two grid boundaries overlap', () => {
		expect(overlappingPairs(d.compounds.map((c) => c.boundary!))).toBe(0);
		expect(overlappingPairs(d.grids.map((g) => g.boundary))).toBe(0);
	});

	test('buildings stand inside their compound and their grid', () => {
		for (const b of d.buildings) {
			const point: Position = [b.point.lng, b.point.lat];
			expect(inside(ringOf(compounds.get(b.compoundId)!.boundary!), point)).toBe(true);
			expect(inside(ringOf(grids.get(b.gridId)!.boundary), point)).toBe(true);
			for (const corner of ringOf(b.footprint!))
				expect(inside(ringOf(compounds.get(b.compoundId)!.boundary!), corner)).toBe(true);
			expect(grids.get(b.gridId)!.compoundIds).toContain(b.compoundId);
		}
		for (const c of d.compounds) {
			expect(inside(ringOf(c.boundary!), [c.centroid.lng, c.centroid.lat])).toBe(true);
			expect(Math.abs(c.centroid.lat - 33.63)).toBeLessThan(0.1);
			expect(Math.abs(c.centroid.lng - 116.98)).toBeLessThan(0.1);
			const vertices = ringOf(c.boundary!).length - 1;
			expect(vertices).toBeGreaterThanOrEqual(4);
			expect(vertices).toBeLessThanOrEqual(6);
		}
	});

	test('compounds, grids and buildings carry a code, unique within their community or compound', () => {
		const unique = (keys: string[]) => new Set(keys).size === keys.length;
		expect(
			d.compounds.every((c) => c.code) && d.grids.every((g) => g.code) && d.buildings.every((b) => b.code)
		).toBe(true);
		expect(unique(d.compounds.map((c) => `${c.communityId}/${c.code}`))).toBe(true);
		expect(unique(d.grids.map((g) => `${g.communityId}/${g.code}`))).toBe(true);
		expect(unique(d.buildings.map((b) => `${b.compoundId}/${b.code}`))).toBe(true);
	});

	test('reference data refers to what exists', () => {
		for (const c of d.compounds) expect(communities.has(c.communityId)).toBe(true);
		for (const g of d.grids) {
			expect(communities.has(g.communityId)).toBe(true);
			expect(g.compoundIds.length).toBeGreaterThan(0);
			for (const id of g.compoundIds) expect(compounds.get(id)?.communityId).toBe(g.communityId);
			expect(users.get(g.leaderUserId!)?.gridIds).toContain(g.id);
			expect(d.buildings.some((b) => b.gridId === g.id)).toBe(true);
		}
		for (const c of d.compounds) expect(d.grids.some((g) => g.compoundIds.includes(c.id))).toBe(true);
		for (const t of d.teams) for (const id of t.communityIds) expect(communities.has(id)).toBe(true);
		expect(new Set(d.teams.flatMap((t) => t.communityIds)).size).toBe(39);
		for (const u of d.users) {
			expect(u.active).toBe(true);
			if (u.teamId) expect(teams.has(u.teamId)).toBe(true);
			for (const id of u.gridIds) expect(grids.get(id)?.leaderUserId).toBe(u.id);
			for (const id of u.communityIds) expect(communities.has(id)).toBe(true);
		}
	});

	test('the four demo accounts exist with their roles, and the rest of the people', () => {
		const account = (username: string) => d.users.find((u) => u.username === username)!;
		expect(account(demoAccounts.admin).role).toBe('admin');
		expect(account(demoAccounts.coordinator).role).toBe('coordinator');
		expect(account(demoAccounts.coordinator).communityIds.length).toBeGreaterThanOrEqual(2);
		expect(account(demoAccounts.leader).role).toBe('grid_leader');
		expect([1, 2]).toContain(account(demoAccounts.leader).gridIds.length);
		expect(account(demoAccounts.volunteer).role).toBe('volunteer');
		expect(teams.has(account(demoAccounts.volunteer).teamId!)).toBe(true);
		const count = (role: User['role']) => d.users.filter((u) => u.role === role).length;
		expect(count('grid_leader')).toBeGreaterThan(250);
		expect(count('coordinator')).toBe(27);
		expect(new Set(d.users.filter((u) => u.role === 'coordinator').flatMap((u) => u.communityIds)).size).toBe(
			39
		);
		for (const t of d.teams)
			expect(d.users.filter((u) => u.teamId === t.id).length).toBeGreaterThanOrEqual(8);
	});

	test('checklists have every item type, and failed items spawn subtypes of the right category', () => {
		const types = new Set(d.checklistTemplates.flatMap((t) => t.items.map((i) => i.type)));
		expect([...types].sort()).toEqual(['choice', 'count', 'photo', 'text', 'yes_no']);
		for (const t of d.checklistTemplates)
			expect(t.items.some((i) => i.spawns && i.failWhen !== undefined)).toBe(true);
	});

	/** The acting user with the scope the server would resolve from reference data (scope.ts). */
	const actors = new Map<string, Actor>();
	const actor = (id: string): Actor => actors.get(id) ?? resolveActor(id);
	const resolveActor = (id: string): Actor => {
		const u = users.get(id)!;
		const gridsOf = (ids: string[]) => d.grids.filter((g) => ids.includes(g.id));
		const communityIds =
			u.role === 'volunteer'
				? teams.get(u.teamId!)!.communityIds
				: u.role === 'coordinator'
					? u.communityIds
					: [];
		const compoundIds =
			u.role === 'grid_leader'
				? gridsOf(u.gridIds).flatMap((g) => g.compoundIds)
				: d.compounds.filter((c) => communityIds.includes(c.communityId)).map((c) => c.id);
		const gridIds =
			u.role === 'grid_leader'
				? u.gridIds
				: d.grids.filter((g) => communityIds.includes(g.communityId)).map((g) => g.id);
		const resolved: Actor = {
			id,
			role: u.role,
			teamId: u.teamId,
			scope: { all: u.role === 'admin', communityIds, compoundIds, gridIds }
		};
		actors.set(id, resolved);
		return resolved;
	};
	const placeOf = (compoundId: string, gridId?: string | null): Place => ({
		communityId: compounds.get(compoundId)!.communityId,
		compoundId,
		gridId: gridId ?? null
	});

	test('field records are made by people allowed there, in places that exist', () => {
		const mayRecord = (by: string, compoundId: string, gridId?: string | null) =>
			can(actor(by), 'record', placeOf(compoundId, gridId));
		const inCompound = (buildingId: string | null | undefined, compoundId: string) =>
			!buildingId || buildings.get(buildingId)?.compoundId === compoundId;
		for (const p of d.patrols) {
			expect(templates.get(p.templateId)?.version).toBe(p.templateVersion);
			expect(p.status).toBe('submitted');
			expect(mayRecord(p.by, p.compoundId, p.gridId)).toBe(true);
		}
		const patrols = byId(d.patrols);
		for (const o of d.observations) {
			expect(mayRecord(o.by, o.compoundId, o.gridId)).toBe(true);
			expect(inCompound(o.buildingId, o.compoundId)).toBe(true);
			expect(inside(ringOf(compounds.get(o.compoundId)!.boundary!), [o.location.lng, o.location.lat])).toBe(
				true
			);
			if (o.patrolId) expect(patrols.get(o.patrolId)?.compoundId).toBe(o.compoundId);
		}
		for (const f of d.feedback) {
			expect(mayRecord(f.by, f.compoundId)).toBe(true);
			expect(inCompound(f.buildingId, f.compoundId)).toBe(true);
			if (f.resident?.phone) expect(f.consentToContact).toBe(true);
		}
		expect(d.feedback.filter((f) => f.resident?.phone && f.resident.name).length).toBeGreaterThan(100);
		for (const v of d.visits) {
			const compoundId = buildings.get(v.buildingId)!.compoundId;
			expect(can(actor(v.by), 'recordVisit', placeOf(compoundId, v.gridId))).toBe(true);
			expect(users.get(v.by)?.role).toBe('grid_leader');
			expect(users.get(v.by)?.gridIds).toContain(v.gridId);
			expect(buildings.get(v.buildingId)?.gridId).toBe(v.gridId);
		}
		for (const s of d.surveys) {
			expect(compounds.has(s.compoundId)).toBe(true);
			expect(can(actor(s.by), 'runAssessment', placeOf(s.compoundId))).toBe(true);
		}
	});

	test('cases come from their sources, and their events tell their story', () => {
		const sources = {
			observation: byId(d.observations),
			feedback: byId(d.feedback),
			visit: byId(d.visits),
			patrol: byId(d.patrols)
		};
		const eventsOf = new Map<string, typeof d.caseEvents>();
		for (const e of d.caseEvents) {
			expect(cases.has(e.caseId)).toBe(true);
			expect(users.has(e.by)).toBe(true);
			eventsOf.set(e.caseId, [...(eventsOf.get(e.caseId) ?? []), e]);
		}
		for (const c of d.cases) {
			expect(sources[c.source.type].has(c.source.id)).toBe(true);
			expect(compounds.has(c.compoundId)).toBe(true);
			if (c.gridId) expect(grids.get(c.gridId)?.compoundIds).toContain(c.compoundId);
			if (c.assigneeId) expect(users.has(c.assigneeId)).toBe(true);
			if (c.teamId) expect(teams.has(c.teamId)).toBe(true);
			if (c.status === 'duplicate') expect(cases.get(c.duplicateOf!)?.compoundId).toBe(c.compoundId);
			const events = eventsOf.get(c.id) ?? [];
			const transitions = events.filter((e) => e.kind === 'transition');
			const place = placeOf(c.compoundId, c.gridId);
			let state: CaseStatus | 'start' = 'start';
			for (const t of transitions) {
				expect(t.from ?? 'start').toBe(state);
				expect(allowedFrom(state)).toContain(t.to);
				if (state !== 'start') expect(can(actor(t.by), caseMachine[state][t.to!]!, place)).toBe(true);
				state = t.to!;
			}
			for (const e of events)
				if (e.kind !== 'transition') expect(can(actor(e.by), 'manageCase', place)).toBe(true);
			expect(state).toBe(c.status);
			expect(transitions[0].at).toBe(c.createdAt);
			expect(events.at(-1)!.at).toBe(c.updatedAt);
			const triage = transitions.find((t) => t.to === 'triaged');
			expect(c.dueAt ?? null).toBe(
				triage
					? new Date(Date.parse(triage.at) + serviceLevelHours[c.category] * 3_600_000).toISOString()
					: null
			);
			if (c.satisfaction) expect(c.status).toBe('closed');
		}
		const fromObservations = d.observations.filter((o) => !o.resolvedOnSpot).length;
		const fromFeedback = d.feedback.filter((f) => f.kind !== 'praise').length;
		const fromVisits = d.visits.filter((v) => v.needsFollowUp).length;
		expect(d.cases).toHaveLength(fromObservations + fromFeedback + fromVisits);
	});

	test('every case status is present, some cases are overdue and some closed cases rated', () => {
		const present = new Set(d.cases.map((c) => c.status));
		for (const status of caseStatuses) expect(present, status).toContain(status);
		const open = ['triaged', 'assigned', 'in_progress', 'reopened'];
		expect(
			d.cases.filter((c) => open.includes(c.status) && Date.parse(c.dueAt!) < now.getTime()).length
		).toBeGreaterThan(0);
		expect(d.cases.filter((c) => c.satisfaction).length).toBeGreaterThan(100);
	});

	test('a few compounds fall under 60% satisfaction in the last full month, most stay above', () => {
		const month = lastFullMonth(now);
		const answers = new Map<string, number[]>();
		const add = (compoundId: string, score: number) =>
			answers.set(compoundId, [...(answers.get(compoundId) ?? []), score]);
		for (const s of d.surveys) if (s.month === month) add(s.compoundId, s.scores.overall);
		const closedAt = new Map(d.caseEvents.filter((e) => e.to === 'closed').map((e) => [e.caseId, e.at]));
		for (const c of d.cases)
			if (c.satisfaction && monthOf(closedAt.get(c.id)!) === month) add(c.compoundId, c.satisfaction);
		expect(answers.size).toBe(d.compounds.length);
		const low = [...answers.values()].filter(
			(list) => list.filter((s) => s >= 4).length / list.length < 0.6
		).length;
		expect(low / d.compounds.length).toBeGreaterThanOrEqual(0.05);
		expect(low / d.compounds.length).toBeLessThanOrEqual(0.2);
		expect(d.surveys.filter((s) => s.compoundId === d.compounds[0].id)).toHaveLength(4);
	});

	test('nothing happens after now (due dates aside: they are deadlines)', () => {
		const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
		let times = 0;
		for (const [path, value] of strings(d)) {
			if (!isoTime.test(value) || path.endsWith('.dueAt')) continue;
			times++;
			expect(Date.parse(value), path).toBeLessThanOrEqual(now.getTime());
		}
		expect(times).toBeGreaterThan(20_000);
	});
});

describe('determinism', () => {
	test('the same seed and now give the same district, byte for byte; another seed another one', () => {
		const now = new Date('2025-11-20T09:30:00+08:00');
		const a = JSON.stringify(generateDistrict({ seed: 42, now }));
		const b = JSON.stringify(generateDistrict({ seed: 42, now: new Date(now) }));
		expect(a === b).toBe(true);
		expect(JSON.stringify(generateDistrict({ seed: 43, now })) === a).toBe(false);
	}, 30_000);

	test('takes well under a few seconds', () => {
		const started = performance.now();
		generateDistrict({ seed: 1, now: new Date('2025-11-20T09:30:00+08:00') });
		const ms = performance.now() - started;
		console.info(`generateDistrict: ${ms.toFixed(0)} ms`);
		expect(ms).toBeLessThan(5000);
	}, 30_000);
});
