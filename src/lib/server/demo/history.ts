import {
	fails,
	observationSubtypes,
	type Building,
	type Category,
	type ChecklistTemplate,
	type Compound,
	type Feedback,
	type FeedbackChannel,
	type FeedbackKind,
	type FeedbackTopic,
	type GpsFix,
	type Observation,
	type Patrol,
	type PatrolAnswer,
	type Severity,
	type SubtypeKey,
	type User,
	type Visit,
	type VisitPurpose
} from '$lib/domain';
import { HOUR, MINUTE, iso, momentBetween } from './calendar';
import type { ChecklistKind } from './checklists';
import type { Directory } from './directory';
import { centroid, jitterInside, lerp, toLatLng, toPoint } from './geometry';
import type { Namer } from './people';
import {
	feedbackText,
	observationNote,
	praiseTopics,
	resolvedOnSpotNotes,
	visitFollowUps,
	visitSummaries
} from './phrases';
import type { Random } from './random';

/** How much field work the demo holds; a few thousand records load in seconds. */
const fieldworkTargets = { patrols: 600, observations: 3000, feedback: 1000, visits: 800 } as const;

export interface Fieldwork {
	patrols: Patrol[];
	observations: Observation[];
	feedback: Feedback[];
	visits: Visit[];
	/** What each visit needing follow-up is about, for the case it opens. */
	visitIssues: Map<string, Category>;
}

export interface HistoryContext {
	rng: Random;
	directory: Directory;
	namer: Namer;
	templates: Record<ChecklistKind, ChecklistTemplate>;
	from: number;
	until: number;
	/** How troubled each compound is (1 = usual): more problems, more complaints. */
	trouble: (compoundId: string) => number;
}

const categoryWeights: readonly (readonly [Category, number])[] = [
	['parking', 35],
	['sanitation', 30],
	['safety', 20],
	['facility', 10],
	['other', 5]
];

/** How often a volunteer can sort the problem out there and then. */
const onSpotChance: Record<Category, number> = {
	parking: 0.55,
	sanitation: 0.5,
	safety: 0.2,
	facility: 0.05,
	other: 0.3
};

const patrolHours: Record<ChecklistKind, [number, number]> = {
	parking: [19, 21.5],
	sanitation: [7, 9.5],
	safety: [14, 17]
};

export function generateFieldwork(ctx: HistoryContext): Fieldwork {
	const observations: Observation[] = [];
	const patrols = Array.from({ length: fieldworkTargets.patrols }, () => patrol(ctx, observations));
	const adHoc = Math.max(0, fieldworkTargets.observations - observations.length);
	for (let i = 0; i < adHoc; i++) observations.push(observation(ctx));
	const visitIssues = new Map<string, Category>();
	const byTime =
		<T>(time: (r: T) => string) =>
		(a: T, b: T) =>
			time(a).localeCompare(time(b));
	return {
		patrols: patrols.sort(byTime((p) => p.startedAt)),
		observations: observations.sort(byTime((o) => o.observedAt)),
		feedback: Array.from({ length: fieldworkTargets.feedback }, () => feedback(ctx)).sort(
			byTime((f) => f.receivedAt)
		),
		visits: Array.from({ length: fieldworkTargets.visits }, () => visit(ctx, visitIssues)).sort(
			byTime((v) => v.visitedAt)
		),
		visitIssues
	};
}

/** Who patrols: mostly volunteers in their team's compounds, sometimes a grid leader in their own grid. */
function patrol(ctx: HistoryContext, observations: Observation[]): Patrol {
	const { rng, directory } = ctx;
	const kind = rng.weighted<ChecklistKind>([
		['parking', 45],
		['sanitation', 30],
		['safety', 25]
	]);
	const template = ctx.templates[kind];
	const byLeader = rng.chance(0.3);
	const by = rng.pick(byLeader ? directory.leaders : directory.volunteers);
	const gridId = byLeader ? rng.pick(by.gridIds) : null;
	const compound = gridId
		? directory.compound(rng.pick(directory.grid(gridId).compoundIds))
		: rng.pick(directory.compoundsOfTeam(by.teamId ?? ''));
	const [fromHour, toHour] = patrolHours[kind];
	const startedAt = momentBetween(rng, ctx.from, ctx.until - 2 * HOUR, fromHour, toHour);
	const finishedAt = startedAt + rng.int(20, 50) * MINUTE;
	const buildings = directory.buildingsOfCompound(compound.id).filter((b) => !gridId || b.gridId === gridId);
	const trouble = ctx.trouble(compound.id);
	const id = rng.uuidAt(startedAt);

	const answers = template.items.map((item): PatrolAnswer => {
		const failed = item.failWhen !== undefined && rng.chance(Math.min(0.6, 0.1 * trouble));
		const value = answerFor(rng, item, failed);
		if (failed && item.spawns) {
			const observedAt = Math.floor(rng.float(startedAt, finishedAt));
			observations.push(
				observationAt(ctx, {
					subtype: item.spawns,
					compound,
					building: rng.pick(buildings),
					by,
					observedAt,
					patrolId: id
				})
			);
		}
		return { key: item.key, value, ...(failed ? { note: '已现场拍照记录' } : {}), photos: [] };
	});

	return {
		id,
		templateId: template.id,
		templateVersion: template.version,
		compoundId: compound.id,
		gridId,
		teamId: by.teamId ?? null,
		startedAt: iso(startedAt),
		finishedAt: iso(finishedAt),
		answers,
		track: track(ctx, compound, startedAt, finishedAt),
		status: 'submitted',
		by: by.id
	};
}

function answerFor(
	rng: Random,
	item: ChecklistTemplate['items'][number],
	failed: boolean
): PatrolAnswer['value'] {
	const rule = item.failWhen;
	switch (item.type) {
		case 'yes_no':
			return typeof rule === 'boolean' ? (failed ? rule : !rule) : true;
		case 'count': {
			const limit = rule && typeof rule === 'object' && !Array.isArray(rule) ? rule.atLeast : 10;
			return failed ? rng.int(limit, limit + 6) : rng.int(0, Math.max(0, limit - 1));
		}
		case 'choice': {
			const values = (item.choices ?? []).map((c) => c.value);
			const failing = values.filter((v) => fails(item, v));
			const passing = values.filter((v) => !fails(item, v));
			return failed ? rng.pick(failing) : rng.weighted(passing.map((v, i) => [v, i === 0 ? 4 : 1] as const));
		}
		case 'text':
			return rng.chance(0.25) ? rng.pick(['整体情况良好', '已与物业保洁员沟通', '居民配合度较高']) : null;
		case 'photo':
			return null;
	}
}

/** A walk round the compound, a point every few minutes, inside the outline. */
function track(ctx: HistoryContext, compound: Compound, startedAt: number, finishedAt: number) {
	const ring = ctx.directory.ring(compound.id);
	const middle = centroid(ring);
	const inner = ring.map((p) => lerp(middle, p, 0.6));
	const points = inner.flatMap((p, i) => [p, lerp(p, inner[(i + 1) % inner.length], 0.5)]);
	const step = (finishedAt - startedAt) / (points.length - 1);
	return [...points.slice(0, -1), points[0]].map((p, i) => ({
		...toLatLng(p),
		t: iso(Math.floor(startedAt + i * step))
	}));
}

function observation(ctx: HistoryContext): Observation {
	const { rng, directory } = ctx;
	const compound = troubledCompound(ctx);
	const building = rng.pick(directory.buildingsOfCompound(compound.id));
	const team = directory.teamOf(compound.communityId);
	const by = rng.weighted<() => User>([
		[() => directory.leaderOf(building.gridId), 35],
		[() => rng.pick(directory.volunteersOf(team.id)), 55],
		[() => rng.pick(directory.coordinatorsOf(compound.communityId)), 10]
	])();
	const category = rng.weighted(categoryWeights);
	const subtype = `${category}.${rng.pick(observationSubtypes[category])}` as SubtypeKey;
	const observedAt = momentBetween(rng, ctx.from, ctx.until - 30 * MINUTE, 7, 21);
	return observationAt(ctx, { subtype, compound, building, by, observedAt, patrolId: null });
}

function observationAt(
	ctx: HistoryContext,
	o: {
		subtype: SubtypeKey;
		compound: Compound;
		building: Building;
		by: User;
		observedAt: number;
		patrolId: string | null;
	}
): Observation {
	const { rng } = ctx;
	const category = o.subtype.split('.')[0] as Category;
	const resolvedOnSpot = rng.chance(onSpotChance[category]);
	const severity: Severity =
		o.subtype === 'parking.fire_lane_blocked' || o.subtype === 'safety.fire_hazard'
			? rng.weighted([
					['medium', 1],
					['high', 2]
				])
			: rng.weighted([
					['low', 3],
					['medium', 4],
					['high', 1]
				]);
	const note = observationNote(o.subtype, (items) => rng.pick(items)).replace('{b}', o.building.name);
	return {
		id: rng.uuidAt(o.observedAt),
		category,
		subtype: o.subtype,
		severity,
		location: near(ctx, o.compound, o.building, 25),
		compoundId: o.compound.id,
		buildingId: o.building.id,
		gridId: o.building.gridId,
		note: resolvedOnSpot ? `${note}，${rng.pick(resolvedOnSpotNotes)}` : note,
		photos: [],
		observedAt: iso(o.observedAt),
		resolvedOnSpot,
		patrolId: o.patrolId,
		by: o.by.id
	};
}

/** A GPS fix a few metres from the building, still inside the compound. */
function near(ctx: HistoryContext, compound: Compound, building: Building, radius: number): GpsFix {
	const p = jitterInside(ctx.rng, ctx.directory.ring(compound.id), toPoint(building.point), radius);
	return { ...toLatLng(p), accuracy: ctx.rng.int(3, 30) };
}

function troubledCompound(ctx: HistoryContext): Compound {
	return ctx.rng.weighted(ctx.directory.compounds.map((c) => [c, ctx.trouble(c.id)] as const));
}

const channelRecorder: Record<
	FeedbackChannel,
	readonly (readonly ['leader' | 'volunteer' | 'coordinator', number])[]
> = {
	in_person: [
		['leader', 3],
		['volunteer', 2]
	],
	wechat_group: [['leader', 1]],
	hotline: [['coordinator', 1]],
	discussion_hall: [['coordinator', 1]],
	visit: [['leader', 1]],
	// Reports through Open311 arrive on the server; the demo history has none.
	online: []
};

function feedback(ctx: HistoryContext): Feedback {
	const { rng, directory } = ctx;
	const compound = troubledCompound(ctx);
	const trouble = ctx.trouble(compound.id);
	const kind = rng.weighted<FeedbackKind>([
		['suggestion', 25],
		['complaint', 30 * trouble],
		['request', 25],
		['dispute', 5],
		['praise', 12 / trouble]
	]);
	const topic =
		kind === 'praise'
			? rng.pick(praiseTopics)
			: rng.weighted<FeedbackTopic>([
					['cleanliness', 20],
					['safety', 12],
					['parking', 22],
					['greenery', 6],
					['facilities', 14],
					['noise', 8],
					['neighbours', 6],
					['property_fees', 6],
					['other', 6]
				]);
	const channel = rng.weighted<FeedbackChannel>([
		['in_person', 35],
		['wechat_group', 30],
		['hotline', 15],
		['discussion_hall', 8],
		['visit', 12]
	]);
	const building = rng.pick(directory.buildingsOfCompound(compound.id));
	const by = {
		leader: () => directory.leaderOf(building.gridId),
		volunteer: () => rng.pick(directory.volunteersOf(directory.teamOf(compound.communityId).id)),
		coordinator: () => rng.pick(directory.coordinatorsOf(compound.communityId))
	}[rng.weighted(channelRecorder[channel])]();
	const unit = `${rng.int(1, Math.max(1, building.units))}单元${rng.int(1, Math.max(1, building.floors))}0${rng.int(1, 3)}`;
	const contact = rng.weighted<'full' | 'unit' | 'none'>([
		['full', 55],
		['unit', 15],
		['none', 30]
	]);
	const receivedAt = momentBetween(rng, ctx.from, ctx.until - 30 * MINUTE, 8, 20);
	return {
		id: rng.uuidAt(receivedAt),
		kind,
		topic,
		channel,
		text: feedbackText(kind, topic, (items) => rng.pick(items)),
		resident:
			contact === 'full'
				? { name: ctx.namer.residentName(), phone: mobile(rng), unit: `${building.name}${unit}` }
				: contact === 'unit'
					? { unit: `${building.name}${unit}` }
					: null,
		consentToContact: contact === 'full',
		compoundId: compound.id,
		buildingId: contact === 'none' && rng.chance(0.5) ? null : building.id,
		receivedAt: iso(receivedAt),
		by: by.id
	};
}

function mobile(rng: Random): string {
	return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}

function visit(ctx: HistoryContext, issues: Map<string, Category>): Visit {
	const { rng, directory } = ctx;
	const leader = rng.pick(directory.leaders);
	const gridId = rng.pick(leader.gridIds);
	const building = rng.pick(directory.buildingsOfGrid(gridId));
	const purpose = rng.weighted<VisitPurpose>([
		['routine', 35],
		['follow_up', 12],
		['elderly_care', 20],
		['dispute', 8],
		['policy', 15],
		['survey', 10]
	]);
	const followUp = rng.chance(purpose === 'dispute' ? 0.45 : 0.17) ? rng.pick(visitFollowUps) : null;
	const visitedAt = momentBetween(rng, ctx.from, ctx.until - 30 * MINUTE, 9, 18);
	const id = rng.uuidAt(visitedAt);
	if (followUp) issues.set(id, followUp.category);
	const summary = rng.pick(visitSummaries[purpose]);
	return {
		id,
		gridId,
		buildingId: building.id,
		unit: `${rng.int(1, Math.max(1, building.units))}单元${rng.int(1, Math.max(1, building.floors))}0${rng.int(1, 3)}`,
		purpose,
		summary: followUp ? `${summary}。${followUp.text}` : summary,
		residentsMet: rng.int(1, 4),
		needsFollowUp: followUp !== null,
		location: rng.chance(0.8) ? near(ctx, directory.compound(building.compoundId), building, 15) : null,
		visitedAt: iso(visitedAt),
		by: leader.id
	};
}
