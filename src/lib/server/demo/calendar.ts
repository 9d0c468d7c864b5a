import type { Random } from './random';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The district keeps China Standard Time (UTC+8, no daylight saving); months and working hours are local. */
const LOCAL_OFFSET = 8 * HOUR;

export function iso(ms: number): string {
	return new Date(ms).toISOString();
}

/** "YYYY-MM" of the local month containing `ms`. */
export function monthOf(ms: number): string {
	return new Date(ms + LOCAL_OFFSET).toISOString().slice(0, 7);
}

/** The instant the local month `offset` months after the one containing `ms` begins. */
export function monthStart(ms: number, offset = 0): number {
	const local = new Date(ms + LOCAL_OFFSET);
	return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + offset, 1) - LOCAL_OFFSET;
}

/** The instant local midnight begins the day containing `ms`. */
function dayStart(ms: number): number {
	return Math.floor((ms + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;
}

/** Hours from the nearest local month boundary. */
export function hoursFromMonthEdge(ms: number): number {
	const edges = [monthStart(ms), monthStart(ms, 1)];
	return Math.min(...edges.map((edge) => Math.abs(ms - edge))) / HOUR;
}

/**
 * A moment in [from, until) on a random day, at a local hour between `fromHour` and `toHour`:
 * people patrol and visit by daylight, not at 3 a.m.
 */
export function momentBetween(
	rng: Random,
	from: number,
	until: number,
	fromHour: number,
	toHour: number
): number {
	const firstDay = dayStart(from);
	const days = Math.max(1, Math.ceil((until - firstDay) / DAY));
	for (let attempt = 0; attempt < 20; attempt++) {
		const ms = Math.floor(firstDay + rng.int(0, days - 1) * DAY + rng.float(fromHour, toHour) * HOUR);
		if (ms >= from && ms < until) return ms;
	}
	return Math.floor(rng.float(from, until));
}
