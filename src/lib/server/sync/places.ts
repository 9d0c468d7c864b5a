import type { Place } from '$lib/domain';
import type { CollectionName } from '$lib/sync/collections';
import type { PushStore } from './storage';

/**
 * Where a new record sits, derived from reference data (never trusted from the device): its
 * community, compound and grid. Null when a reference it names does not exist, or they do not
 * belong together.
 */
export async function placeOfRecord(
	store: PushStore,
	collection: CollectionName,
	record: Record<string, unknown>
): Promise<Place | null> {
	const id = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : null);
	if (collection === 'caseEvent') {
		const owner = await store.read('case', id('caseId') ?? '', false);
		return owner?.place ?? null;
	}
	let compoundId = id('compoundId');
	let gridId = id('gridId');
	const buildingId = id('buildingId');
	if (buildingId) {
		const building = await store.building(buildingId);
		if (!building) return null;
		if (compoundId && compoundId !== building.compoundId) return null;
		compoundId = building.compoundId;
		gridId ??= building.gridId;
	}
	if (!compoundId) return null;
	const compound = await store.compound(compoundId);
	if (!compound) return null;
	if (gridId) {
		const grid = await store.grid(gridId);
		if (!grid || !grid.compoundIds.includes(compoundId)) return null;
	}
	return { communityId: compound.communityId, compoundId, gridId };
}
