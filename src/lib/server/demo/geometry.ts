import type { LatLng, Polygon } from '$lib/domain';
import type { Random } from './random';

/** Metres east (x) and north (y) of the district centre; the layout is planned in metres, stored in WGS-84. */
export interface Point {
	x: number;
	y: number;
}

export interface Rect {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}

/** Suzhou, Anhui (宿州市埇桥区). */
export const districtCentre: LatLng = { lat: 33.63, lng: 116.98 };

const metresPerDegreeLat = 110_920;
const metresPerDegreeLng = 111_320 * Math.cos((districtCentre.lat * Math.PI) / 180);

/** Six decimals is about 10 cm: plenty for a map, and small JSON. */
const round = (value: number) => Math.round(value * 1e6) / 1e6;

export function toLatLng(p: Point): LatLng {
	return {
		lat: round(districtCentre.lat + p.y / metresPerDegreeLat),
		lng: round(districtCentre.lng + p.x / metresPerDegreeLng)
	};
}

export function toPoint(p: LatLng): Point {
	return {
		x: (p.lng - districtCentre.lng) * metresPerDegreeLng,
		y: (p.lat - districtCentre.lat) * metresPerDegreeLat
	};
}

/** A GeoJSON polygon from a counter-clockwise ring (RFC 7946 exterior ring order), closed. */
export function toPolygon(ring: Point[]): Polygon {
	const positions = ring.map((p) => {
		const { lat, lng } = toLatLng(p);
		return [lng, lat] as [number, number];
	});
	return { type: 'Polygon', coordinates: [[...positions, [...positions[0]] as [number, number]]] };
}

/** The ring of a GeoJSON polygon in metres, without the closing position. */
export function ringOf(polygon: Polygon): Point[] {
	return polygon.coordinates[0].slice(0, -1).map(([lng, lat]) => toPoint({ lat, lng }));
}

export function width(r: Rect): number {
	return r.x1 - r.x0;
}

export function height(r: Rect): number {
	return r.y1 - r.y0;
}

export function inset(r: Rect, dx: number, dy = dx): Rect {
	return { x0: r.x0 + dx, y0: r.y0 + dy, x1: r.x1 - dx, y1: r.y1 - dy };
}

export function rectRing(r: Rect): Point[] {
	return [
		{ x: r.x0, y: r.y0 },
		{ x: r.x1, y: r.y0 },
		{ x: r.x1, y: r.y1 },
		{ x: r.x0, y: r.y1 }
	];
}

export function boundsOf(ring: Point[]): Rect {
	const xs = ring.map((p) => p.x);
	const ys = ring.map((p) => p.y);
	return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/**
 * A convex outline of 4–6 vertices inside `r`: the rectangle's corners pulled inwards a little,
 * with up to two corners cut off. Staying inside its own cell is what keeps neighbours apart.
 */
export function outlineIn(rng: Random, r: Rect): Point[] {
	const w = width(r);
	const h = height(r);
	const corners = rectRing(r).map((c, i) => ({
		x: c.x + (i === 0 || i === 3 ? 1 : -1) * rng.float(0, 0.1) * w,
		y: c.y + (i < 2 ? 1 : -1) * rng.float(0, 0.1) * h
	}));
	const cut = new Set(rng.sample([0, 1, 2, 3], rng.int(0, 2)));
	return corners.flatMap((corner, i) => {
		if (!cut.has(i)) return [corner];
		const before = corners[(i + 3) % 4];
		const after = corners[(i + 1) % 4];
		const t = rng.float(0.12, 0.28);
		return [lerp(corner, before, t), lerp(corner, after, t)];
	});
}

export function lerp(a: Point, b: Point, t: number): Point {
	return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

/** The part of a convex ring between `min` and `max` along one axis (Sutherland–Hodgman, two planes). */
export function clipToBand(ring: Point[], axis: 'x' | 'y', min: number, max: number): Point[] {
	const keepAbove = clipHalf(ring, axis, min, 1);
	return clipHalf(keepAbove, axis, max, -1);
}

function clipHalf(ring: Point[], axis: 'x' | 'y', edge: number, side: 1 | -1): Point[] {
	const inside = (p: Point) => (p[axis] - edge) * side >= 0;
	const out: Point[] = [];
	ring.forEach((current, i) => {
		const previous = ring[(i + ring.length - 1) % ring.length];
		if (inside(current) !== inside(previous)) {
			out.push(lerp(previous, current, (edge - previous[axis]) / (current[axis] - previous[axis])));
		}
		if (inside(current)) out.push(current);
	});
	return out;
}

/** Convex hull, counter-clockwise (Andrew's monotone chain). */
export function hull(points: Point[]): Point[] {
	const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
	const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
	const half = (list: Point[]) => {
		const chain: Point[] = [];
		for (const p of list) {
			while (chain.length >= 2 && cross(chain[chain.length - 2], chain[chain.length - 1], p) <= 0)
				chain.pop();
			chain.push(p);
		}
		return chain.slice(0, -1);
	};
	return [...half(sorted), ...half([...sorted].reverse())];
}

/** Ray casting; works for any simple ring. */
function contains(ring: Point[], p: Point): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const a = ring[i];
		const b = ring[j];
		if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
	}
	return inside;
}

/** For a convex ring, a rectangle is inside when its four corners are. */
export function containsRect(ring: Point[], r: Rect): boolean {
	return rectRing(r).every((corner) => contains(ring, corner));
}

/** Area centroid of a simple ring. */
export function centroid(ring: Point[]): Point {
	let area = 0;
	let cx = 0;
	let cy = 0;
	ring.forEach((a, i) => {
		const b = ring[(i + 1) % ring.length];
		const f = a.x * b.y - b.x * a.y;
		area += f;
		cx += (a.x + b.x) * f;
		cy += (a.y + b.y) * f;
	});
	return { x: cx / (3 * area), y: cy / (3 * area) };
}

/** A point near `p` (within `radius` metres) that stays inside `ring`; `p` itself when no try lands inside. */
export function jitterInside(rng: Random, ring: Point[], p: Point, radius: number): Point {
	for (let attempt = 0; attempt < 8; attempt++) {
		const q = { x: p.x + rng.float(-radius, radius), y: p.y + rng.float(-radius, radius) };
		if (contains(ring, q)) return q;
	}
	return p;
}
