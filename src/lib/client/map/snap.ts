import { distanceMeters, type LatLng } from '$lib/domain';
import { buildingRadius, type PlaceChoice } from '../observe/places';

/** A pin dropped this close to a building's edge (metres) snaps to the building. */
export const snapWithin = 25;

/**
 * The building a pin dropped at `point` snaps to: the nearest one whose reach (its footprint, or 30 m around
 * its point) plus `snapWithin` holds the pin. Null when no building is that close.
 */
export function snapToBuilding(
	point: LatLng,
	places: readonly PlaceChoice[],
	within = snapWithin
): PlaceChoice | null {
	let best: PlaceChoice | null = null;
	let bestDistance = Infinity;
	for (const place of places) {
		const distance = distanceMeters(point, place.building.point);
		if (distance < bestDistance && distance <= buildingRadius(place.building) + within) {
			best = place;
			bestDistance = distance;
		}
	}
	return best;
}
