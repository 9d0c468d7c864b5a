import {
	can,
	distanceMeters,
	type Action,
	type Actor,
	type Building,
	type Compound,
	type GpsFix,
	type Grid,
	type LatLng
} from '$lib/domain';

/** A building the person may record at, with the compound and grid it belongs to (for its name). */
export interface PlaceChoice {
	building: Building;
	compound: Compound;
	grid: Grid | null;
}

/** A place with its distance from the person, when their position is known. */
export interface RankedPlace extends PlaceChoice {
	distance: number | null;
}

/** A fix at least this good (metres) is trusted to pick the building by itself. */
export const goodAccuracy = 50;
/** The nearest building is suggested only when the person stands this close to it (metres). */
export const suggestWithin = 150;
/** How far a building reaches from its point when it has no footprint (metres). */
const defaultBuildingRadius = 30;

/** The buildings of the device's reference data where the person may record (the server checks it again). */
export function placesInScope(
	actor: Actor,
	{ buildings, compounds, grids }: { buildings: Building[]; compounds: Compound[]; grids: Grid[] },
	action: Action = 'record'
): PlaceChoice[] {
	const compoundsById = new Map(compounds.map((c) => [c.id, c]));
	const gridsById = new Map(grids.map((g) => [g.id, g]));
	const places: PlaceChoice[] = [];
	for (const building of buildings) {
		const compound = compoundsById.get(building.compoundId);
		if (!compound) continue;
		const place = { communityId: compound.communityId, compoundId: compound.id, gridId: building.gridId };
		if (can(actor, action, place)) {
			places.push({ building, compound, grid: gridsById.get(building.gridId) ?? null });
		}
	}
	return places;
}

const folded = (text: string) => text.toLocaleLowerCase().replace(/\s+/g, '');

/** Whether a place matches what the person typed: the building's or the compound's name, or both run together. */
export function matchesQuery({ building, compound }: PlaceChoice, query: string): boolean {
	const wanted = folded(query);
	if (!wanted) return true;
	return [building.name, compound.name, compound.name + building.name, compound.address].some((text) =>
		folded(text).includes(wanted)
	);
}

/**
 * The places matching `query`, nearest first when the position is known, else by compound and building
 * name in the person's language ("2号楼" before "10号楼").
 */
export function rankPlaces(
	places: readonly PlaceChoice[],
	{ position, query = '', locale }: { position: LatLng | null; query?: string; locale: string }
): RankedPlace[] {
	const collator = new Intl.Collator(locale, { numeric: true });
	const byName = (a: PlaceChoice, b: PlaceChoice) =>
		collator.compare(a.compound.name, b.compound.name) || collator.compare(a.building.name, b.building.name);
	const ranked = places
		.filter((place) => matchesQuery(place, query))
		.map((place) => ({
			...place,
			distance: position ? distanceMeters(position, place.building.point) : null
		}));
	return ranked.sort((a, b) => (a.distance ?? 0) - (b.distance ?? 0) || byName(a, b));
}

/** The building to preselect: the nearest, when the fix is good and the person stands by it. */
export function suggestedPlace(ranked: readonly RankedPlace[], fix: GpsFix | null): RankedPlace | null {
	const nearest = ranked[0];
	if (!fix || fix.accuracy > goodAccuracy || nearest?.distance == null) return null;
	return nearest.distance <= suggestWithin ? nearest : null;
}

/** How far a building reaches from its point: to the farthest corner of its footprint. */
export function buildingRadius(building: Building): number {
	const ring = building.footprint?.coordinates[0];
	if (!ring) return defaultBuildingRadius;
	const farthest = Math.max(...ring.map(([lng, lat]) => distanceMeters(building.point, { lat, lng })));
	return Math.max(1, Math.ceil(farthest));
}

/**
 * Where the problem is: the person's own fix when it is good and by the building, else the building's
 * point with the building's reach as its accuracy (GPS denied, weak, or the building chosen from afar).
 */
export function observedLocation(fix: GpsFix | null, building: Building): GpsFix {
	if (fix && fix.accuracy <= goodAccuracy && distanceMeters(fix, building.point) <= suggestWithin) {
		return { lat: fix.lat, lng: fix.lng, accuracy: Math.round(fix.accuracy) };
	}
	return { lat: building.point.lat, lng: building.point.lng, accuracy: buildingRadius(building) };
}
