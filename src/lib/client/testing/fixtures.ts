import type { Actor, CaseRecord, Compound, Observation } from '$lib/domain';
import { newRecordId } from '../ids';
import { initialSnapshot, type SyncReporter, type SyncSnapshot } from '../sync/report';

export const communityId = newRecordId();
export const compound: Compound = {
	id: newRecordId(),
	communityId,
	name: '幸福小区',
	address: '淮河路 12 号',
	households: 480,
	centroid: { lat: 33.635, lng: 116.985 }
};

export const coordinator: Actor = {
	id: newRecordId(),
	role: 'coordinator',
	scope: { all: false, communityIds: [communityId], compoundIds: [compound.id], gridIds: [] }
};

export function observation(overrides: Partial<Observation> = {}): Observation {
	return {
		id: newRecordId(),
		category: 'parking',
		subtype: 'parking.fire_lane_blocked',
		severity: 'medium',
		location: { lat: 33.6351, lng: 116.9852, accuracy: 8 },
		compoundId: compound.id,
		note: '消防通道被电动车堵住',
		photos: [],
		observedAt: '2026-03-02T09:00:00.000Z',
		resolvedOnSpot: false,
		by: coordinator.id,
		...overrides
	};
}

export function caseRecord(overrides: Partial<CaseRecord> = {}): CaseRecord {
	return {
		id: newRecordId(),
		source: { type: 'observation', id: newRecordId() },
		title: '消防通道堵塞',
		category: 'parking',
		priority: 'normal',
		compoundId: compound.id,
		gridId: null,
		status: 'assigned',
		assigneeId: coordinator.id,
		createdAt: '2026-03-01T08:00:00.000Z',
		updatedAt: '2026-03-01T08:00:00.000Z',
		...overrides
	};
}

/** Keeps the latest state the runner reported, as the rune class would. */
export class RecordingReporter implements SyncReporter {
	readonly snapshot: SyncSnapshot = initialSnapshot();

	report(patch: Partial<SyncSnapshot>): void {
		Object.assign(this.snapshot, patch);
	}
}
