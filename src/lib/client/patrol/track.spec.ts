import { describe, expect, it } from 'vitest';
import { withFix } from './track';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 8, 0, seconds));
const fix = (metresNorth: number, accuracy = 10) => ({
	lat: 33.63 + metresNorth / 111_195,
	lng: 116.98,
	accuracy
});

describe('the GPS track', () => {
	it('keeps the first fix, then a point every 10 s at most once the person has moved 10 m', () => {
		let track = withFix([], fix(0), at(0));
		expect(track).toEqual([{ lat: 33.63, lng: 116.98, t: at(0).toISOString() }]);
		expect(withFix(track, fix(30), at(5))).toBe(track); // too soon
		expect(withFix(track, fix(3), at(20))).toBe(track); // not moved
		track = withFix(track, fix(30), at(20));
		expect(track).toHaveLength(2);
		// Standing still, a point a minute all the same.
		expect(withFix(track, fix(30), at(81))).toHaveLength(3);
	});

	it('skips vague fixes', () => {
		expect(withFix([], fix(0, 250), at(0))).toEqual([]);
	});
});
