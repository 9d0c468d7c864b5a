/** The rows of a list of fixed-height rows that a scrolled viewport shows, plus `overscan` either side. */
export interface WindowRange {
	/** First row to render. */
	start: number;
	/** One past the last row to render. */
	end: number;
	/** Space above the first rendered row, in pixels. */
	before: number;
	/** Space below the last rendered row, in pixels. */
	after: number;
}

export function visibleRange(
	count: number,
	rowHeight: number,
	scrollTop: number,
	viewportHeight: number,
	overscan = 5
): WindowRange {
	if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, before: 0, after: 0 };
	const top = Math.max(0, scrollTop);
	const first = Math.min(count - 1, Math.floor(top / rowHeight));
	const last = Math.min(count, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight));
	const start = Math.max(0, first - overscan);
	const end = Math.min(count, Math.max(last, first + 1) + overscan);
	return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}
