import { CsvError, parse } from 'csv-parse/sync';
import type { ReferenceFormat } from '$lib/domain';
import type { MessageKey } from '$lib/i18n';

/**
 * One row of an import file before any checking: its number as the person sees it (the CSV line,
 * the header being line 1, or the GeoJSON feature's number from 1), its values by field name, and
 * for GeoJSON its geometry.
 */
export interface SourceRow {
	row: number;
	values: Record<string, unknown>;
	geometry?: unknown;
	/** The GeoJSON item was not a Feature object at all. */
	notFeature?: boolean;
}

/** The whole file is unreadable: nothing can be previewed. */
export class ImportFileError extends Error {
	constructor(
		readonly messageKey: MessageKey,
		readonly params: Record<string, string | number> = {}
	) {
		super(messageKey);
	}
}

export const maxRows = 20_000;

/** Column headings people write, in English or Chinese, for each field. */
const aliases: Record<string, string[]> = {
	community: ['community', 'community_code', 'communitycode', '社区', '社区编码', '社区代码'],
	compound: ['compound', 'compound_code', 'compoundcode', '小区', '小区编码', '小区代码'],
	grid: ['grid', 'grid_code', 'gridcode', '网格', '网格编码', '网格代码'],
	compounds: ['compounds', 'compound_codes', '小区列表', '所含小区'],
	code: ['code', '编码', '代码', '编号'],
	name: ['name', '名称', '名字'],
	address: ['address', '地址'],
	households: ['households', '户数'],
	units: ['units', '单元数', '单元'],
	floors: ['floors', '层数', '楼层'],
	lat: ['lat', 'latitude', '纬度'],
	lng: ['lng', 'lon', 'long', 'longitude', '经度']
};
const fieldOf = new Map(Object.entries(aliases).flatMap(([field, names]) => names.map((n) => [n, field])));

/** A heading as the field it names; headings it does not know stay as written (and are ignored). */
export const fieldName = (heading: string) => {
	const key = heading.trim().toLowerCase().replace(/\s+/g, '_');
	return fieldOf.get(key) ?? key;
};

export function readSource(format: ReferenceFormat, content: string): SourceRow[] {
	const rows = format === 'csv' ? readCsv(content) : readGeoJson(content);
	if (rows.length === 0) throw new ImportFileError('reference.file.empty');
	if (rows.length > maxRows) throw new ImportFileError('reference.file.tooManyRows', { max: maxRows });
	return rows;
}

function readCsv(content: string): SourceRow[] {
	let records: { record: Record<string, string>; info: { lines: number } }[];
	try {
		records = parse(content, {
			bom: true,
			columns: (headings: string[]) => headings.map(fieldName),
			skip_empty_lines: true,
			trim: true,
			info: true
		});
	} catch (error) {
		if (error instanceof CsvError) {
			const line = (error as CsvError & { lines?: number }).lines ?? 1;
			throw new ImportFileError('reference.file.csv', { line, detail: error.code });
		}
		throw error;
	}
	return records.map(({ record, info }) => ({ row: info.lines, values: record }));
}

function readGeoJson(content: string): SourceRow[] {
	let root: unknown;
	try {
		root = JSON.parse(content.replace(/^\uFEFF/, ''));
	} catch (error) {
		throw new ImportFileError('reference.file.json', { detail: (error as Error).message });
	}
	if (!isObject(root) || root.type !== 'FeatureCollection' || !Array.isArray(root.features)) {
		throw new ImportFileError('reference.file.featureCollection');
	}
	// RFC 7946 dropped `crs`: coordinates are WGS-84. An old file naming another system is refused.
	const crs =
		isObject(root.crs) && isObject(root.crs.properties) ? String(root.crs.properties.name ?? '') : '';
	if (crs && !/CRS84$|EPSG:+4326$/i.test(crs)) throw new ImportFileError('reference.file.crs', { crs });
	return root.features.map((feature: unknown, i: number) => {
		if (!isObject(feature) || feature.type !== 'Feature') return { row: i + 1, values: {}, notFeature: true };
		const properties = isObject(feature.properties) ? feature.properties : {};
		const values = Object.fromEntries(Object.entries(properties).map(([k, v]) => [fieldName(k), v]));
		return { row: i + 1, values, geometry: feature.geometry ?? undefined };
	});
}

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
