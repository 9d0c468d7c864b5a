import { describe, expect, it } from 'vitest';
import type { Polygon } from '$lib/domain';
import { centroidOf, checkRow } from './drafts';
import { ImportFileError, readSource } from './source';

const square = (lng: number, lat: number, size = 0.001) => ({
	type: 'Polygon',
	coordinates: [
		[
			[lng, lat],
			[lng + size, lat],
			[lng + size, lat + size],
			[lng, lat + size],
			[lng, lat]
		]
	]
});
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const feature = (properties: object, geometry: unknown) => ({ type: 'Feature', properties, geometry });

describe('reading an import file', () => {
	it('numbers CSV rows as the spreadsheet does, with English or Chinese headings and a BOM', () => {
		const rows = readSource(
			'csv',
			'\uFEFF社区编码,编码,名称,纬度,经度\nC1,A001,幸福小区,33.63,116.98\n\nC1,A002,和平小区,33.64,116.99\n'
		);
		expect(rows.map((r) => r.row)).toEqual([2, 4]);
		expect(rows[0].values).toMatchObject({
			community: 'C1',
			code: 'A001',
			name: '幸福小区',
			lat: '33.63',
			lng: '116.98'
		});
	});

	it('refuses a file it cannot read, saying where', () => {
		const fail = (format: 'csv' | 'geojson', content: string) => {
			try {
				readSource(format, content);
			} catch (error) {
				return error instanceof ImportFileError ? [error.messageKey, error.params] : error;
			}
			return 'read';
		};
		expect(fail('csv', 'code,name\nA,B,C\n')).toEqual([
			'reference.file.csv',
			{ line: 2, detail: 'CSV_RECORD_INCONSISTENT_COLUMNS' }
		]);
		expect(fail('csv', 'code,name\n')).toEqual(['reference.file.empty', {}]);
		expect(fail('geojson', '{"type":')).toEqual(['reference.file.json', expect.anything()]);
		expect(fail('geojson', '{"type":"Feature"}')).toEqual(['reference.file.featureCollection', {}]);
		expect(
			fail(
				'geojson',
				JSON.stringify({
					type: 'FeatureCollection',
					crs: { type: 'name', properties: { name: 'EPSG:3857' } },
					features: []
				})
			)
		).toEqual(['reference.file.crs', { crs: 'EPSG:3857' }]);
	});
});

describe('checking a row', () => {
	it('makes a compound from a CSV row with lat/lng', () => {
		const [row] = readSource(
			'csv',
			'community,code,name,households,lat,lng\nC1,A001,幸福小区,120,33.63,116.98\n'
		);
		const checked = checkRow('compound', 'csv', 'wgs84', row);
		expect(checked.errors).toEqual([]);
		expect(checked.draft).toEqual({
			kind: 'compound',
			community: 'C1',
			code: 'A001',
			name: '幸福小区',
			address: undefined,
			households: 120,
			centroid: { lat: 33.63, lng: 116.98 }
		});
	});

	it('reports every bad field of a row, by field', () => {
		const [row] = readSource('csv', 'community,code,name,households,lat,lng\nC1,A 1,,-3,133.6,abc\n');
		const checked = checkRow('compound', 'csv', 'wgs84', row);
		expect(checked.draft).toBeNull();
		expect(checked.errors.map((e) => [e.field, e.messageKey])).toEqual([
			['code', 'reference.error.code'],
			['name', 'reference.error.required'],
			['households', 'reference.error.count'],
			['lat', 'reference.error.coordinate'],
			['lng', 'reference.error.coordinate']
		]);
	});

	it('converts GCJ-02 coordinates to WGS-84 (about 300-600 m in Anhui)', () => {
		const [row] = readSource('csv', 'community,code,name,lat,lng\nC1,A001,幸福小区,33.63,116.98\n');
		const { draft } = checkRow('compound', 'csv', 'gcj02', row);
		const c = (draft as { centroid: { lat: number; lng: number } }).centroid;
		expect(c.lat).not.toBe(33.63);
		expect(Math.abs(c.lat - 33.63)).toBeLessThan(0.01);
		expect(Math.abs(c.lng - 116.98)).toBeLessThan(0.01);
	});

	it('takes a GeoJSON Polygon as a boundary with its centroid, and refuses other geometry types', () => {
		const rows = readSource(
			'geojson',
			collection(
				feature(
					{ community: 'C1', code: 'W01', name: '第1网格', compounds: 'A001; A002' },
					square(116.98, 33.63)
				),
				feature(
					{ community: 'C1', code: 'W02', name: '第2网格' },
					{ type: 'Point', coordinates: [116.98, 33.63] }
				),
				feature(
					{ community: 'C1', code: 'W03', name: '第3网格' },
					{
						type: 'Polygon',
						coordinates: [
							[
								[116.98, 33.63],
								[116.99, 33.63],
								[116.98, 33.64]
							]
						]
					}
				),
				feature({ community: 'C1', code: 'W04', name: '第4网格' }, null),
				'not a feature'
			)
		);
		const checked = rows.map((r) => checkRow('grid', 'geojson', 'wgs84', r));
		expect(checked[0].draft).toMatchObject({
			code: 'W01',
			compounds: ['A001', 'A002'],
			boundary: square(116.98, 33.63)
		});
		expect(checked.slice(1).map((c) => [c.row, c.errors.map((e) => e.messageKey)])).toEqual([
			[2, ['reference.error.geometryType']],
			[3, ['reference.error.polygon']],
			[4, ['reference.error.geometryMissing']],
			[5, ['reference.error.notFeature']]
		]);
	});

	it('takes a building as a Point or a Polygon footprint', () => {
		const props = { community: 'C1', compound: 'A001', grid: 'W01', code: '3', name: '3号楼', floors: 6 };
		const rows = readSource(
			'geojson',
			collection(
				feature(props, { type: 'Point', coordinates: [116.98, 33.63] }),
				feature(props, square(116.98, 33.63, 0.002))
			)
		);
		const [point, footprint] = rows.map((r) => checkRow('building', 'geojson', 'wgs84', r).draft);
		expect(point).toMatchObject({ point: { lat: 33.63, lng: 116.98 }, floors: 6 });
		expect(footprint).toMatchObject({
			point: { lat: 33.631, lng: 116.981 },
			footprint: square(116.98, 33.63, 0.002)
		});
	});

	it('finds the centroid of a polygon by its area', () => {
		// An L-shape: the vertices' mean and the area centroid differ.
		const l: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[2, 0],
					[2, 1],
					[1, 1],
					[1, 2],
					[0, 2],
					[0, 0]
				]
			]
		};
		expect(centroidOf(l)).toEqual({ lng: 0.8333333, lat: 0.8333333 });
	});
});
