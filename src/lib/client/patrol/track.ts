import { distanceMeters, type GpsFix, type Patrol } from '$lib/domain';

export type TrackPoint = NonNullable<Patrol['track']>[number];

/** A fix vaguer than this (metres) says nothing about the route. */
export const trackAccuracy = 100;
/** The route keeps a point at most this often (ms) … */
export const trackEvery = 10_000;
/** … once the person has moved this far (metres), or when this long (ms) has passed anyway. */
export const trackMoved = 10;
export const trackAtLeastEvery = 60_000;
/** The schema's cap: a very long patrol keeps its first points. */
export const maxTrackPoints = 20_000;

/**
 * The route with the new fix, or the same array when it adds nothing: throttled so that a two-hour
 * patrol stays a few hundred points, not one per second.
 */
export function withFix(track: readonly TrackPoint[], fix: GpsFix, now: Date): readonly TrackPoint[] {
	if (fix.accuracy > trackAccuracy || track.length >= maxTrackPoints) return track;
	const last = track.at(-1);
	const point = { lat: fix.lat, lng: fix.lng, t: now.toISOString() };
	if (!last) return [point];
	const since = now.getTime() - Date.parse(last.t);
	if (since < trackEvery) return track;
	if (since < trackAtLeastEvery && distanceMeters(last, fix) < trackMoved) return track;
	return [...track, point];
}
