import {
	availableTransitions,
	can,
	caseStatuses,
	feedbackTopics,
	isOpenCase,
	subtypeKeys,
	type Building,
	type CaseRecord,
	type CaseStatus,
	type Place,
	type SubtypeKey
} from '$lib/domain';
import { newRecordId } from '$lib/client/ids';
import type { SimDevice } from './devices';

/** Compounds where case managers' work overlaps, so that their case moves collide (stale transitions). */
export interface Focus {
	compoundIds: ReadonlySet<string>;
}

type Action = 'observation' | 'feedback' | 'visit' | 'update' | 'transition' | 'assign' | 'comment';

const volunteerMix: [Action, number][] = [
	['observation', 35],
	['feedback', 25],
	['update', 25],
	['comment', 15]
];
const managerMix: [Action, number][] = [
	['observation', 16],
	['feedback', 10],
	['visit', 12],
	['update', 16],
	['transition', 30],
	['assign', 7],
	['comment', 9]
];

/** How often each move is chosen when several are open: mostly forward, a few dead ends. */
const moveWeight: Partial<Record<CaseStatus, number>> = {
	triaged: 3,
	assigned: 3,
	in_progress: 3,
	resolved: 3,
	closed: 2,
	reopened: 1,
	rejected: 0.3,
	duplicate: 0.3
};

const openStatuses = caseStatuses.filter(isOpenCase);
/** Cases and own records are picked among the first few, so devices (and twins) work the same ones. */
const hotSetSize = 12;
/** A device with no compound in the focus (a volunteer) works this many of its own, as on a patrol round. */
const roundSize = 3;

/** A new observation at a building; by default one that opens a case (not resolved on the spot). */
export function observationAt(
	building: Building,
	by: string,
	note: string,
	subtype: SubtypeKey = 'parking.fire_lane_blocked'
) {
	return {
		id: newRecordId(),
		category: subtype.split('.')[0],
		subtype,
		severity: 'medium',
		location: { ...building.point, accuracy: 10 },
		compoundId: building.compoundId,
		buildingId: building.id,
		gridId: building.gridId,
		note,
		photos: [],
		observedAt: new Date().toISOString(),
		resolvedOnSpot: false,
		by
	};
}

/**
 * One device's share of the load: each `step()` saves one change a person in that role would make,
 * chosen with the device's seeded generator from what its database holds right now.
 */
export class Workload {
	readonly #device: SimDevice;
	readonly #random: () => number;
	#buildings: Building[] = [];
	#compoundIds: string[] = [];
	#step = 0;

	constructor(device: SimDevice) {
		this.#device = device;
		this.#random = device.random;
	}

	/** Reads the reference data the device pulled: the buildings it works in, in `focus` where it can. */
	async prepare(focus: Focus): Promise<void> {
		const all = await this.#device.db.building.orderBy('id').toArray();
		const focused = all.filter((b) => focus.compoundIds.has(b.compoundId));
		const round = new Set([...new Set(all.map((b) => b.compoundId))].sort().slice(0, roundSize));
		this.#buildings = focused.length ? focused : all.filter((b) => round.has(b.compoundId));
		if (!this.#buildings.length) throw new Error(`${this.#device.label} pulled no buildings`);
		this.#compoundIds = [...new Set(this.#buildings.map((b) => b.compoundId))];
	}

	async step(): Promise<boolean> {
		this.#step += 1;
		const { actor } = this.#device;
		const mix = actor.role === 'volunteer' ? volunteerMix : managerMix;
		switch (this.#weighted(mix)) {
			case 'observation':
				return this.#device.record('observation.create', this.#observation());
			case 'feedback':
				return this.#device.record('feedback.create', this.#feedback());
			case 'visit':
				return this.#device.record('visit.create', this.#visit());
			case 'update':
				return this.#update();
			case 'transition':
				return this.#transition();
			case 'assign':
				return this.#assign();
			case 'comment':
				return this.#comment();
		}
	}

	#pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.#random() * items.length)];
	}

	#weighted<T>(choices: readonly (readonly [T, number])[]): T {
		let roll = this.#random() * choices.reduce((sum, [, weight]) => sum + weight, 0);
		for (const [choice, weight] of choices) if ((roll -= weight) < 0) return choice;
		return choices[choices.length - 1][0];
	}

	#tag(): string {
		return `${this.#device.label}#${this.#step}`;
	}

	#near(building: Building) {
		const jitter = () => (this.#random() - 0.5) * 0.0004;
		return {
			lat: building.point.lat + jitter(),
			lng: building.point.lng + jitter(),
			accuracy: 5 + Math.floor(this.#random() * 25)
		};
	}

	#observation() {
		const building = this.#pick(this.#buildings);
		return {
			...observationAt(building, this.#device.actor.id, `现场发现 ${this.#tag()}`, this.#pick(subtypeKeys)),
			severity: this.#pick(['low', 'medium', 'high']),
			location: this.#near(building),
			resolvedOnSpot: this.#random() < 0.3
		};
	}

	#feedback() {
		const building = this.#pick(this.#buildings);
		const withResident = this.#random() < 0.2;
		return {
			id: newRecordId(),
			kind: this.#pick(['suggestion', 'complaint', 'request', 'dispute', 'praise']),
			topic: this.#pick(feedbackTopics),
			channel: this.#pick(['in_person', 'wechat_group', 'hotline', 'discussion_hall', 'visit']),
			text: `居民反映 ${this.#tag()}`,
			...(withResident ? { resident: { name: '王女士', phone: '13812345678', unit: '3-201' } } : {}),
			consentToContact: withResident,
			compoundId: building.compoundId,
			buildingId: building.id,
			receivedAt: new Date().toISOString(),
			by: this.#device.actor.id
		};
	}

	#visit() {
		const building = this.#pick(this.#buildings);
		return {
			id: newRecordId(),
			gridId: building.gridId,
			buildingId: building.id,
			unit: `${1 + Math.floor(this.#random() * 6)}-${101 + Math.floor(this.#random() * 5)}`,
			purpose: this.#pick(['routine', 'follow_up', 'elderly_care', 'dispute', 'policy', 'survey']),
			summary: `入户走访 ${this.#tag()}`,
			residentsMet: Math.floor(this.#random() * 4),
			needsFollowUp: this.#random() < 0.4,
			location: this.#near(building),
			visitedAt: new Date().toISOString(),
			by: this.#device.actor.id
		};
	}

	/** An edit of one of the newest own records (a twin phone of the same person edits the same ones). */
	async #update(): Promise<boolean> {
		const { db, actor } = this.#device;
		const collection = this.#pick(
			actor.role === 'volunteer'
				? (['observation', 'feedback'] as const)
				: (['observation', 'feedback', 'visit'] as const)
		);
		const own: { id: string }[] = await db[collection].where('by').equals(actor.id).toArray();
		const hot = own.sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, hotSetSize);
		if (!hot.length) return this.#device.record('observation.create', this.#observation());
		const { id } = this.#pick(hot);
		const changes: Record<string, unknown> =
			collection === 'observation'
				? this.#pick([
						{ note: `补充说明 ${this.#tag()}` },
						{ severity: this.#pick(['low', 'medium', 'high']) }
					])
				: collection === 'feedback'
					? this.#pick([{ text: `更正内容 ${this.#tag()}` }, { topic: this.#pick(feedbackTopics) }])
					: this.#pick([
							{ summary: `补记 ${this.#tag()}` },
							{ residentsMet: Math.floor(this.#random() * 6) },
							{ unit: `${1 + Math.floor(this.#random() * 6)}-201` }
						]);
		return this.#device.record(`${collection}.update`, { id, changes });
	}

	/** The newest open cases the device holds where it works, with their place. */
	async #hotCases(): Promise<{ current: CaseRecord; place: Place }[]> {
		const { db, actor } = this.#device;
		const here = await db.case.where('compoundId').anyOf(this.#compoundIds).toArray();
		const candidates = here
			.filter((c) => openStatuses.includes(c.status))
			.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1))
			.slice(0, hotSetSize * 2);
		const compounds = await db.compound.bulkGet(candidates.map((c) => c.compoundId));
		const placed: { current: CaseRecord; place: Place }[] = [];
		for (const [i, current] of candidates.entries()) {
			const communityId = compounds[i]?.communityId;
			if (!communityId) continue;
			const place = { communityId, compoundId: current.compoundId, gridId: current.gridId };
			if (actor.role === 'volunteer' || can(actor, 'manageCase', place)) placed.push({ current, place });
			if (placed.length === hotSetSize) break;
		}
		return placed;
	}

	async #transition(): Promise<boolean> {
		const { actor } = this.#device;
		const cases = await this.#hotCases();
		const movable = cases
			.map(({ current, place }) => ({ current, moves: availableTransitions(current, actor, place) }))
			.filter(({ moves }) => moves.length > 0);
		if (!movable.length) return this.#device.record('observation.create', this.#observation());
		const { current, moves } = this.#pick(movable);
		const to = this.#weighted(moves.map((move) => [move, moveWeight[move] ?? 1] as const));
		const other = cases.find((c) => c.current.id !== current.id)?.current.id;
		if (to === 'duplicate' && !other) return this.#assign();
		const fields: Record<string, unknown> =
			to === 'assigned'
				? { assigneeId: actor.id }
				: to === 'resolved'
					? { resolution: `已处理 ${this.#tag()}` }
					: to === 'rejected'
						? { reason: `非本部门职责 ${this.#tag()}` }
						: to === 'duplicate'
							? { duplicateOf: other }
							: to === 'closed'
								? { satisfaction: 1 + Math.floor(this.#random() * 5) }
								: {};
		return this.#device.record('case.transition', { id: current.id, from: current.status, to, ...fields });
	}

	async #assign(): Promise<boolean> {
		const cases = await this.#hotCases();
		if (!cases.length) return this.#device.record('observation.create', this.#observation());
		const { current } = this.#pick(cases);
		const assigneeId = this.#random() < 0.75 ? this.#device.actor.id : null;
		return this.#device.record('case.assign', { id: current.id, assigneeId });
	}

	async #comment(): Promise<boolean> {
		const cases = await this.#hotCases();
		if (!cases.length) return this.#device.record('feedback.create', this.#feedback());
		const { current } = this.#pick(cases);
		return this.#device.record('caseEvent.add', {
			id: newRecordId(),
			caseId: current.id,
			kind: 'comment',
			body: `跟进留言 ${this.#tag()}`,
			photos: [],
			at: new Date().toISOString(),
			by: this.#device.actor.id
		});
	}
}
