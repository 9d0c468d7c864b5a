import gcoord from 'gcoord';
import {
	lat as latSchema,
	lng as lngSchema,
	polygon as polygonSchema,
	referenceCode,
	type LatLng,
	type Polygon,
	type ReferenceDatum,
	type ReferenceFormat,
	type ReferenceKind
} from '$lib/domain';
import type { MessageKey } from '$lib/i18n';
import type { SourceRow } from './source';

/** A refusal of one field of one row; the message is put in the person's language when answered. */
export interface FieldError {
	field: string;
	messageKey: MessageKey;
	params?: Record<string, string | number>;
}

/** What a row asks for once its own fields are checked; codes are resolved against the database later. */
export interface CompoundDraft {
	kind: 'compound';
	community: string;
	code: string;
	name: string;
	address?: string;
	households?: number;
	centroid: LatLng;
	/** Absent: keep the boundary the compound has (a CSV row carries none). */
	boundary?: Polygon;
}

export interface GridDraft {
	kind: 'grid';
	community: string;
	code: string;
	name: string;
	compounds?: string[];
	boundary?: Polygon;
}

export interface BuildingDraft {
	kind: 'building';
	community: string;
	compound: string;
	grid: string;
	code: string;
	name: string;
	units?: number;
	floors?: number;
	households?: number;
	point: LatLng;
	footprint?: Polygon;
}

export type Draft = CompoundDraft | GridDraft | BuildingDraft;

export interface CheckedRow {
	row: number;
	code: string | null;
	name: string | null;
	draft: Draft | null;
	errors: FieldError[];
}

/** Where a row is: a point, and for a feature with a Polygon its outline. */
interface Place {
	point?: LatLng;
	polygon?: Polygon;
}

const datums = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** Checks one row's own fields: presence, codes, counts, coordinates and geometry type. */
export function checkRow(
	kind: ReferenceKind,
	format: ReferenceFormat,
	datum: ReferenceDatum,
	source: SourceRow
): CheckedRow {
	const errors: FieldError[] = [];
	const values = source.values;
	const refuse = (field: string, messageKey: MessageKey, params?: Record<string, string | number>) => {
		errors.push({ field, messageKey, params });
		return undefined;
	};
	const raw = (field: string) => {
		const value = values[field];
		if (value === null || value === undefined) return '';
		return typeof value === 'string' ? value.trim() : String(value);
	};
	const required = (field: string) => raw(field) || refuse(field, 'reference.error.required');
	const text = (field: string, max: number, needed: boolean) => {
		const value = needed ? required(field) : raw(field);
		if (value && value.length > max) return refuse(field, 'reference.error.tooLong', { max });
		return value || undefined;
	};
	const code = (field: string) => {
		const value = required(field);
		if (value === undefined) return undefined;
		return referenceCode.safeParse(value).success ? value : refuse(field, 'reference.error.code');
	};
	const count = (field: string) => {
		const value = raw(field);
		if (!value) return undefined;
		const n = Number(value);
		return Number.isInteger(n) && n >= 0 && n <= 100_000 ? n : refuse(field, 'reference.error.count');
	};
	const toWgs84 = ([lng, lat]: number[]): [number, number] => {
		if (datum === 'wgs84') return [lng, lat];
		const [x, y] = gcoord.transform([lng, lat], datums[datum], gcoord.WGS84) as [number, number];
		return [round(x), round(y)];
	};
	const coordinate = (field: 'lat' | 'lng') => {
		const value = required(field);
		if (value === undefined) return undefined;
		const n = Number(value);
		const schema = field === 'lat' ? latSchema : lngSchema;
		if (value === '' || !schema.safeParse(n).success) {
			return refuse(
				field,
				'reference.error.coordinate',
				field === 'lat' ? { min: -90, max: 90 } : { min: -180, max: 180 }
			);
		}
		return n;
	};
	const csvPoint = (): LatLng | undefined => {
		const lat = coordinate('lat');
		const lng = coordinate('lng');
		if (lat === undefined || lng === undefined) return undefined;
		const [x, y] = toWgs84([lng, lat]);
		return { lat: y, lng: x };
	};
	/** The feature's geometry as one of `allowed`, converted to WGS-84 and checked. */
	const geometry = (allowed: ('Point' | 'Polygon')[]): Place | undefined => {
		const g = source.geometry as { type?: unknown; coordinates?: unknown } | undefined;
		if (!g || typeof g !== 'object') return refuse('geometry', 'reference.error.geometryMissing');
		if (!allowed.includes(g.type as 'Point')) {
			return refuse('geometry', 'reference.error.geometryType', {
				expected: allowed.join(' / '),
				actual: String(g.type ?? '?')
			});
		}
		if (g.type === 'Point') {
			const c = g.coordinates;
			if (
				!Array.isArray(c) ||
				c.length < 2 ||
				!lngSchema.safeParse(c[0]).success ||
				!latSchema.safeParse(c[1]).success
			) {
				return refuse('geometry', 'reference.error.point');
			}
			const [x, y] = toWgs84(c as number[]);
			return { point: { lat: y, lng: x } };
		}
		const parsed = polygonSchema.safeParse(g);
		if (!parsed.success) return refuse('geometry', 'reference.error.polygon');
		const polygon: Polygon = {
			type: 'Polygon',
			coordinates: parsed.data.coordinates.map((ring) => ring.map((p) => toWgs84(p)))
		};
		return { polygon, point: centroidOf(polygon) };
	};

	let draft: Draft | null = null;
	if (source.notFeature) {
		refuse('geometry', 'reference.error.notFeature');
	} else if (kind === 'compound') {
		const community = code('community');
		const own = code('code');
		const name = text('name', 100, true);
		const address = text('address', 200, false);
		const households = count('households');
		const place: Place | undefined =
			format === 'csv' ? { point: csvPoint() } : geometry(['Polygon', 'Point']);
		if (errors.length === 0 && place?.point) {
			draft = {
				kind,
				community: community!,
				code: own!,
				name: name!,
				address,
				households,
				centroid: place.point,
				...(place.polygon ? { boundary: place.polygon } : {})
			};
		}
	} else if (kind === 'grid') {
		const community = code('community');
		const own = code('code');
		const name = text('name', 100, true);
		const compounds = codeList('compounds', values.compounds, refuse);
		const place: Place | undefined = format === 'csv' ? {} : geometry(['Polygon']);
		if (errors.length === 0 && place) {
			draft = {
				kind,
				community: community!,
				code: own!,
				name: name!,
				compounds,
				...(place.polygon ? { boundary: place.polygon } : {})
			};
		}
	} else {
		const community = code('community');
		const compound = code('compound');
		const grid = code('grid');
		const own = code('code');
		const name = text('name', 100, true);
		const units = count('units');
		const floors = count('floors');
		const households = count('households');
		const place: Place | undefined =
			format === 'csv' ? { point: csvPoint() } : geometry(['Point', 'Polygon']);
		if (errors.length === 0 && place?.point) {
			draft = {
				kind,
				community: community!,
				compound: compound!,
				grid: grid!,
				code: own!,
				name: name!,
				units,
				floors,
				households,
				point: place.point,
				...(place.polygon ? { footprint: place.polygon } : {})
			};
		}
	}
	return { row: source.row, code: raw('code') || null, name: raw('name') || null, draft, errors };
}

/** `A001;A002` (or separated by commas, 、 or spaces), or a JSON list in GeoJSON properties. */
function codeList(
	field: string,
	value: unknown,
	refuse: (field: string, key: MessageKey, params?: Record<string, string | number>) => undefined
): string[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const items = Array.isArray(value)
		? value.map((v) => String(v).trim())
		: String(value)
				.split(/[;；,，、|\s]+/)
				.filter(Boolean);
	const bad = items.find((item) => !referenceCode.safeParse(item).success);
	if (bad !== undefined) return refuse(field, 'reference.error.code');
	return [...new Set(items)];
}

const round = (n: number) => Math.round(n * 1e7) / 1e7;

/** The area centroid of the outer ring (the vertices' mean when it has no area). */
export function centroidOf(polygon: Polygon): LatLng {
	const ring = polygon.coordinates[0];
	// Relative to the first vertex: products of raw degrees lose the digits that matter.
	const [ox, oy] = ring[0];
	let area = 0;
	let x = 0;
	let y = 0;
	for (let i = 0; i < ring.length - 1; i++) {
		const [x0, y0] = [ring[i][0] - ox, ring[i][1] - oy];
		const [x1, y1] = [ring[i + 1][0] - ox, ring[i + 1][1] - oy];
		const cross = x0 * y1 - x1 * y0;
		area += cross;
		x += (x0 + x1) * cross;
		y += (y0 + y1) * cross;
	}
	if (Math.abs(area) < 1e-18) {
		const points = ring.slice(0, -1);
		return {
			lng: round(points.reduce((s, p) => s + p[0], 0) / points.length),
			lat: round(points.reduce((s, p) => s + p[1], 0) / points.length)
		};
	}
	return { lng: round(ox + x / (3 * area)), lat: round(oy + y / (3 * area)) };
}
