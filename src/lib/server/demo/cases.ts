import {
	caseStatuses,
	topicCategory,
	type CaseEvent,
	type CaseRecord,
	type CaseStatus,
	type Category,
	type FeedbackKind,
	type Priority,
	type User
} from '$lib/domain';
import { DAY, HOUR, MINUTE, iso } from './calendar';
import type { Directory } from './directory';
import type { Fieldwork } from './history';
import { caseComments, reopenReasons, rejectionReasons, resolutions, subtypeTitle } from './phrases';
import type { Random } from './random';

/** Hours from triage to the due date, per category (the service levels DOMAIN.md names). */
export const serviceHours: Record<Category, number> = {
	safety: 24,
	parking: 72,
	sanitation: 48,
	facility: 72,
	other: 120
};

export interface CaseHistory {
	cases: CaseRecord[];
	caseEvents: CaseEvent[];
	/** Closed cases: when they were closed and whether there was a resident to ask about satisfaction. */
	closings: { caseId: string; at: number; resident: boolean }[];
}

/** What opens a case: an observation not sorted out on the spot, feedback that is not praise, a visit to follow up. */
interface CaseSeed {
	id: string;
	source: CaseRecord['source'];
	createdAt: number;
	title: string;
	category: Category;
	priority: Priority;
	compoundId: string;
	communityId: string;
	gridId: string | null;
	reporter: User;
	resident: boolean;
}

interface Step {
	status: CaseStatus;
	at: number;
	by: User;
	body?: string;
	assignee?: User;
}

interface CasePlan {
	seed: CaseSeed;
	duplicateOf: string | null;
	/** Every step the case would go through given time. */
	planned: Step[];
	/** The steps it has gone through by `now`. */
	steps: Step[];
}

const feedbackKindTitle: Record<Exclude<FeedbackKind, 'praise'>, string> = {
	suggestion: '建议',
	complaint: '投诉',
	request: '求助',
	dispute: '纠纷'
};

export function generateCases(
	rng: Random,
	directory: Directory,
	fieldwork: Fieldwork,
	now: number
): CaseHistory {
	const seeds = seedsFrom(rng, directory, fieldwork, now);
	const plans = planAll(rng, directory, seeds, now);
	coverEveryStatus(plans, now);
	const cases: CaseRecord[] = [];
	const caseEvents: CaseEvent[] = [];
	const closings: CaseHistory['closings'] = [];
	for (const plan of plans) {
		const { record, events } = materialise(rng, directory, plan, now);
		cases.push(record);
		caseEvents.push(...events);
		const last = plan.steps[plan.steps.length - 1];
		if (last.status === 'closed')
			closings.push({ caseId: record.id, at: last.at, resident: plan.seed.resident });
	}
	return { cases, caseEvents, closings };
}

function seedsFrom(rng: Random, directory: Directory, fieldwork: Fieldwork, now: number): CaseSeed[] {
	const seed = (
		at: number,
		s: Omit<CaseSeed, 'id' | 'createdAt' | 'communityId' | 'reporter'> & { by: string }
	): CaseSeed => {
		const createdAt = Math.min(now, at + rng.int(1, 20) * MINUTE);
		const { by, ...rest } = s;
		return {
			...rest,
			id: rng.uuidAt(createdAt),
			createdAt,
			communityId: directory.compound(s.compoundId).communityId,
			reporter: directory.user(by)
		};
	};
	const seeds: CaseSeed[] = [];
	for (const o of fieldwork.observations) {
		if (o.resolvedOnSpot) continue;
		const building = o.buildingId ? directory.building(o.buildingId).name : '';
		seeds.push(
			seed(Date.parse(o.observedAt), {
				source: { type: 'observation', id: o.id },
				title: building ? `${subtypeTitle(o.subtype)}（${building}）` : subtypeTitle(o.subtype),
				category: o.category,
				priority:
					o.severity === 'high'
						? o.category === 'safety'
							? 'urgent'
							: 'high'
						: o.severity === 'medium'
							? 'normal'
							: 'low',
				compoundId: o.compoundId,
				gridId: o.gridId ?? null,
				resident: false,
				by: o.by
			})
		);
	}
	for (const f of fieldwork.feedback) {
		if (f.kind === 'praise') continue;
		seeds.push(
			seed(Date.parse(f.receivedAt), {
				source: { type: 'feedback', id: f.id },
				title: `${feedbackKindTitle[f.kind]}：${f.text}`.slice(0, 60),
				category: topicCategory[f.topic],
				priority:
					f.kind === 'complaint' || f.kind === 'dispute'
						? rng.pick<Priority>(['normal', 'normal', 'high'])
						: 'low',
				compoundId: f.compoundId,
				gridId: f.buildingId ? directory.building(f.buildingId).gridId : null,
				resident: Boolean(f.resident?.name || f.resident?.phone),
				by: f.by
			})
		);
	}
	for (const v of fieldwork.visits) {
		if (!v.needsFollowUp) continue;
		const building = directory.building(v.buildingId);
		seeds.push(
			seed(Date.parse(v.visitedAt), {
				source: { type: 'visit', id: v.id },
				title: `${building.name}${v.unit ?? ''}：${v.summary.split('。').pop()}`.slice(0, 60),
				category: fieldwork.visitIssues.get(v.id) ?? 'other',
				priority: v.purpose === 'elderly_care' ? 'high' : 'normal',
				compoundId: building.compoundId,
				gridId: v.gridId,
				resident: true,
				by: v.by
			})
		);
	}
	return seeds.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

function planAll(rng: Random, directory: Directory, seeds: CaseSeed[], now: number): CasePlan[] {
	const latest = new Map<string, CaseSeed>();
	return seeds.map((seed) => {
		const key = `${seed.compoundId}|${seed.category}`;
		const earlier = latest.get(key);
		latest.set(key, seed);
		const path = rng.weighted<'normal' | 'duplicate' | 'rejected' | 'reopened'>([
			['normal', 87],
			['duplicate', earlier && seed.createdAt - earlier.createdAt < 14 * DAY ? 3 : 0],
			['rejected', 4],
			['reopened', 6]
		]);
		const planned = plan(rng, directory, seed, path, earlier);
		const age = now - seed.createdAt;
		let reached = planned.length - 1;
		if (reached > 0 && rng.chance(age < 21 * DAY ? 0.3 : 0.04)) {
			reached = rng.int(age > 3 * DAY && planned.length > 2 ? 1 : 0, planned.length - 2);
		}
		const steps = planned.slice(0, reached + 1).filter((s) => s.at <= now);
		return { seed, duplicateOf: path === 'duplicate' && earlier ? earlier.id : null, planned, steps };
	});
}

/** The whole life a case would have, each step a little after the one before. */
function plan(
	rng: Random,
	directory: Directory,
	seed: CaseSeed,
	path: 'normal' | 'duplicate' | 'rejected' | 'reopened',
	earlier: CaseSeed | undefined
): Step[] {
	const hours = (min: number, max: number) => rng.float(min, max) * HOUR;
	const coordinator = () => rng.pick(directory.coordinatorsOf(seed.communityId));
	const leader = seed.gridId ? directory.leaderOf(seed.gridId) : null;
	const triager = leader && rng.chance(0.3) ? leader : coordinator();
	const sla = serviceHours[seed.category] * HOUR;

	let at = seed.createdAt;
	const steps: Step[] = [{ status: 'reported', at, by: seed.reporter }];
	const next = (status: CaseStatus, delay: number, by: User, extra: Partial<Step> = {}) => {
		at = Math.floor(at + delay);
		steps.push({ status, at, by, ...extra });
	};

	if (path === 'duplicate' && earlier) {
		next('duplicate', hours(0.3, 8), triager, { body: `与案件“${earlier.title}”重复，合并处理` });
		return steps;
	}
	next('triaged', hours(0.3, 10), triager);
	const triagedAt = at;
	if (path === 'rejected') {
		next('rejected', hours(0.5, 24), triager, { body: rng.pick(rejectionReasons) });
		return steps;
	}
	const work = (dueFactor: number) => {
		const assignee = leader && rng.chance(0.7) ? leader : coordinator();
		next('assigned', hours(0.1, 6), triager, { body: `指派给${assignee.displayName}`, assignee });
		next('in_progress', hours(0.5, Math.min(24, (0.3 * sla) / HOUR)), assignee);
		const target = triagedAt + sla * dueFactor;
		next('resolved', Math.max(hours(0.5, 2), target - at), assignee, {
			body: rng.pick(resolutions[seed.category])
		});
	};
	work(rng.chance(0.85) ? rng.float(0.2, 0.95) : rng.float(1.05, 2.5));
	if (path === 'reopened') {
		next('reopened', hours(12, 72), coordinator(), { body: rng.pick(reopenReasons) });
		work(rng.float(1.2, 3));
	}
	next('closed', hours(2, 96), coordinator());
	return steps;
}

/**
 * The demo must show a case in every state. Where chance left a state empty, the newest case that
 * passed through it stops there, taken from a state that has others.
 */
function coverEveryStatus(plans: CasePlan[], now: number) {
	const current = (p: CasePlan) => p.steps[p.steps.length - 1].status;
	const tally = new Map<CaseStatus, number>();
	for (const p of plans) tally.set(current(p), (tally.get(current(p)) ?? 0) + 1);
	for (const status of caseStatuses) {
		if (tally.get(status)) continue;
		for (let i = plans.length - 1; i >= 0; i--) {
			const p = plans[i];
			const at = p.planned.findIndex((s) => s.status === status && s.at <= now);
			if (at < 0 || (tally.get(current(p)) ?? 0) < 2) continue;
			tally.set(current(p), (tally.get(current(p)) ?? 0) - 1);
			p.steps = p.planned.slice(0, at + 1);
			tally.set(status, 1);
			break;
		}
	}
}

function materialise(rng: Random, directory: Directory, plan: CasePlan, now: number) {
	const { seed, steps } = plan;
	const events: CaseEvent[] = [];
	const event = (at: number, by: User, e: Pick<CaseEvent, 'kind'> & Partial<CaseEvent>) =>
		events.push({
			id: rng.uuidAt(at),
			caseId: seed.id,
			body: null,
			from: null,
			to: null,
			photos: [],
			at: iso(at),
			by: by.id,
			...e
		});

	let assignee: User | null = null;
	for (const [i, step] of steps.entries()) {
		event(step.at, step.by, {
			kind: 'transition',
			from: i === 0 ? null : steps[i - 1].status,
			to: step.status,
			body: step.body ?? null
		});
		if (step.assignee) assignee = step.assignee;
	}
	const last = steps[steps.length - 1];
	const finished = last.status === 'closed' || last.status === 'duplicate' || last.status === 'rejected';
	const quietUntil = finished ? last.at : Math.min(now, last.at + 3 * DAY);

	if ((last.status === 'assigned' || last.status === 'in_progress') && assignee && rng.chance(0.1)) {
		const coordinator = rng.pick(directory.coordinatorsOf(seed.communityId));
		const other = assignee === coordinator || !seed.gridId ? null : coordinator;
		if (other) {
			assignee = other;
			event(Math.floor(rng.float(last.at, quietUntil)), coordinator, {
				kind: 'assignment',
				body: `改派给${other.displayName}`
			});
		}
	}
	const coordinators = directory.coordinatorsOf(seed.communityId);
	const commenters: User[] = assignee ? [assignee, ...coordinators] : coordinators;
	if (rng.chance(0.3)) {
		for (let n = rng.int(1, 2); n > 0; n--) {
			event(Math.floor(rng.float(seed.createdAt, quietUntil)), rng.pick(commenters), {
				kind: 'comment',
				body: rng.pick(caseComments)
			});
		}
	}
	events.sort((a, b) => a.at.localeCompare(b.at));

	const triage = steps.find((s) => s.status === 'triaged');
	const resolved = [...steps].reverse().find((s) => s.status === 'resolved');
	const record: CaseRecord = {
		id: seed.id,
		source: seed.source,
		title: seed.title,
		category: seed.category,
		priority: seed.priority,
		compoundId: seed.compoundId,
		gridId: seed.gridId,
		status: last.status,
		assigneeId: assignee?.id ?? null,
		teamId: seed.reporter.teamId ?? null,
		duplicateOf: last.status === 'duplicate' ? plan.duplicateOf : null,
		dueAt: triage ? iso(triage.at + serviceHours[seed.category] * HOUR) : null,
		resolution:
			last.status === 'rejected'
				? (last.body ?? null)
				: last.status === 'resolved' || last.status === 'closed'
					? (resolved?.body ?? null)
					: null,
		satisfaction: null,
		createdAt: iso(seed.createdAt),
		updatedAt: events[events.length - 1].at
	};
	return { record, events };
}
