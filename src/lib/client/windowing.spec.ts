import { describe, expect, it } from 'vitest';
import { visibleRange } from './windowing';

describe('visibleRange', () => {
	it('renders the rows in view plus the overscan, and pads the rest', () => {
		const range = visibleRange(10_000, 72, 7200, 640, 5);
		expect(range).toEqual({ start: 95, end: 114, before: 95 * 72, after: (10_000 - 114) * 72 });
	});

	it('keeps the total height whatever the scroll position', () => {
		for (const top of [0, 1, 500, 71_999, 720_000, 10_000_000]) {
			const { start, end, before, after } = visibleRange(10_000, 72, top, 800);
			expect(before + (end - start) * 72 + after).toBe(720_000);
		}
	});

	it('stays inside the list at the top, at the bottom and past it', () => {
		expect(visibleRange(100, 50, -30, 400, 3)).toMatchObject({ start: 0, end: 11 });
		expect(visibleRange(100, 50, 4800, 400, 3)).toMatchObject({ start: 93, end: 100, after: 0 });
		expect(visibleRange(100, 50, 99_999, 400, 3)).toMatchObject({ start: 96, end: 100, after: 0 });
	});

	it('renders everything of a short list and nothing of an empty one', () => {
		expect(visibleRange(3, 72, 0, 640)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
		expect(visibleRange(0, 72, 0, 640)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
	});

	it('renders at least one row before the viewport has a height', () => {
		expect(visibleRange(50, 72, 0, 0, 0)).toMatchObject({ start: 0, end: 1 });
	});
});
