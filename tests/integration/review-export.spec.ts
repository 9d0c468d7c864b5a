import { randomUUID } from 'node:crypto';
import { getIssues } from '@placemarkio/check-geojson';
import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everywhere, type Person } from '$lib/domain';
import type { Db } from '$lib/server/db';
import * as t from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { download } from '$lib/server/reports/download';
import { databaseKinds, type TestDatabase } from './databases';
import { timeZone, writer } from './review-fixtures';
import { seedDistrict, type District, type Person as Who } from './sync-fixtures';

/**
 * Exports read back the way their users read them: CSV with a CSV parser (the byte-order mark
 * included), GeoJSON with a GeoJSON validator, XLSX with exceljs. On PGlite and PostgreSQL.
 */
describe.each(databaseKinds)('exports on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	const now = new Date('2030-05-10T04:00:00Z');
	const person = (who: Who): Person => ({
		...d.actors[who],
		username: d.users[who].username,
		displayName: d.users[who].displayName,
		teamId: d.users[who].teamId,
		...(who === 'admin' ? { scope: everywhere } : {})
	});
	const get = async (who: Who, file: string, query = '', locale: 'zh-CN' | 'en' = 'zh-CN') => {
		const response = await download(
			{ db, user: person(who), locale, timeZone, requestId: `req-${file}`, now },
			file,
			new URLSearchParams(query)
		);
		return { response, bytes: Buffer.from(await response.arrayBuffer()) };
	};
	const csv = (bytes: Buffer) =>
		parse(bytes, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];

	beforeAll(async () => {
		database = await open();
		db = database.db;
		d = await seedDistrict(db);
		const w = writer(db, d);
		// More than one page (5,000 rows) of observations in nA; one in the south.
		const many = Array.from({ length: 5003 }, (_, i) => ({
			id: randomUUID(),
			category: 'parking',
			subtype: 'parking.fire_lane_blocked',
			severity: 'medium',
			location: { lat: 33.631, lng: 116.981, accuracy: 7 },
			communityId: d.communities.north,
			compoundId: d.compounds.nA,
			gridId: d.grids.gNA,
			buildingId: d.buildings.bNA,
			note: i === 0 ? '消防通道被占，"两辆车", 已拍照' : '',
			observedAt: new Date(Date.parse('2030-05-01T00:00:00Z') + (i % 100) * 60_000),
			by: d.users.volunteer.id,
			syncVersion: 2_000_000 + i
		}));
		for (let i = 0; i < many.length; i += 500) await db.insert(t.observations).values(many.slice(i, i + 500));
		await w.observation('sA', '2030-05-08T02:00:00Z');
		await db.insert(t.feedback).values({
			id: randomUUID(),
			kind: 'complaint',
			topic: 'cleanliness',
			channel: 'in_person',
			text: '垃圾桶满了',
			resident: { name: '张三丰', phone: '13812345678', unit: '2-401' },
			consentToContact: true,
			communityId: d.communities.north,
			compoundId: d.compounds.nA,
			gridId: d.grids.gNA,
			buildingId: d.buildings.bNA,
			receivedAt: new Date('2030-05-06T02:00:00Z'),
			by: d.users.leader.id,
			syncVersion: 3_000_000
		});
		await w.case('nA', {
			status: 'in_progress',
			title: '路灯不亮',
			createdAt: '2030-05-06T02:00:00Z',
			dueAt: '2030-05-07T02:00:00Z'
		});
		await w.patrol('nB', '2030-05-03T11:00:00Z');
	});
	afterAll(() => database.drop());

	it('CSV: UTF-8 with a byte-order mark, headers in the person’s language, every page, local times', async () => {
		const { response, bytes } = await get('coordinator', 'observations.csv');
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="gridwalk-observations-2030-05-10.csv"'
		);
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const rows = csv(bytes);
		expect(rows).toHaveLength(5003);
		expect(new Set(rows.map((r) => r['编号'])).size).toBe(5003);
		expect(rows.find((r) => r['说明'])).toMatchObject({
			发现时间: '2030-05-01 08:00:00',
			类别: 'parking',
			社区: 'north',
			小区: 'nA',
			楼栋: '3号楼',
			说明: '消防通道被占，"两辆车", 已拍照',
			现场解决: 'false',
			纬度: '33.631',
			记录人: 'volunteer'
		});
		const english = csv(
			(await get('coordinator', 'observations.csv', 'compoundId=' + d.compounds.nB, 'en')).bytes
		);
		expect(english).toEqual([]);
		const admin = csv((await get('admin', 'observations.csv', '', 'en')).bytes);
		expect(admin).toHaveLength(5004);
		expect(Object.keys(admin[0])).toContain('Observed at');
	});

	it('the dashboard filters apply: dates, compound; the scope too', async () => {
		const south = csv((await get('southCoordinator', 'observations.csv')).bytes);
		expect(south.map((r) => r['小区'])).toEqual(['sA']);
		const later = csv((await get('admin', 'observations.csv', 'from=2030-05-02')).bytes);
		expect(later.map((r) => r['小区'])).toEqual(['sA']);
		const cases = csv((await get('coordinator', 'cases.csv', `compoundId=${d.compounds.nA}`)).bytes);
		expect(cases).toEqual([
			expect.objectContaining({ 标题: '路灯不亮', 状态: 'in_progress', 办理时限: '2030-05-07 10:00:00' })
		]);
		await expect(get('coordinator', 'observations.csv', 'from=May')).rejects.toMatchObject({ status: 400 });
	});

	it('GeoJSON: a valid FeatureCollection with a point per record', async () => {
		const { response, bytes } = await get('admin', 'observations.geojson', '', 'en');
		expect(response.headers.get('content-type')).toBe('application/geo+json');
		const text = bytes.toString('utf8');
		expect(getIssues(text)).toEqual([]);
		const collection = JSON.parse(text);
		expect(collection.type).toBe('FeatureCollection');
		expect(collection.features).toHaveLength(5004);
		expect(collection.features[0].geometry).toEqual({ type: 'Point', coordinates: [116.981, 33.631] });
		expect(collection.features[0].properties).toMatchObject({ category: 'parking', compound: 'nA' });
		for (const file of ['cases', 'feedback', 'visits', 'patrols']) {
			const other = (await get('coordinator', `${file}.geojson`)).bytes.toString('utf8');
			expect(getIssues(other), file).toEqual([]);
		}
		const empty = (await get('coordinator', 'visits.geojson')).bytes.toString('utf8');
		expect(JSON.parse(empty)).toEqual({ type: 'FeatureCollection', features: [] });
	});

	it('XLSX: read back, a header row and the records', async () => {
		const { response, bytes } = await get('coordinator', 'patrols.xlsx', '', 'en');
		expect(response.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(bytes as unknown as ArrayBuffer);
		const sheet = book.worksheets[0];
		expect(sheet.name).toBe('Patrols');
		const header = (sheet.getRow(1).values as unknown[]).slice(1);
		expect(header.slice(0, 4)).toEqual(['ID', 'Started at', 'Finished at', 'Status']);
		expect(sheet.rowCount).toBe(2);
		const row = sheet.getRow(2);
		expect(row.getCell(2).value).toBe('2030-05-03 19:00:00');
		expect(row.getCell(4).value).toBe('submitted');
		expect(row.getCell(8).value).toBe('nB');
		const big = new ExcelJS.Workbook();
		await big.xlsx.load((await get('coordinator', 'observations.xlsx')).bytes as unknown as ArrayBuffer);
		expect(big.worksheets[0].rowCount).toBe(5004);
	});

	it('residents’ names and phones only when asked, and that export is written to the audit log', async () => {
		const plain = csv((await get('coordinator', 'feedback.csv')).bytes);
		expect(plain).toHaveLength(1);
		expect(Object.keys(plain[0])).not.toContain('居民姓名');
		expect(JSON.stringify(plain)).not.toContain('13812345678');
		const audited = () =>
			db
				.select()
				.from(t.auditLog)
				.where(and(eq(t.auditLog.action, 'export.personal'), eq(t.auditLog.userId, d.users.coordinator.id)));
		expect(await audited()).toEqual([]);

		const personal = csv((await get('coordinator', 'feedback.csv', 'includePersonal=1')).bytes);
		expect(personal[0]).toMatchObject({ 居民姓名: '张三丰', 居民电话: '13812345678', 门牌: '2-401' });
		const [entry] = await audited();
		expect(entry).toMatchObject({
			collection: 'feedback',
			requestId: 'req-feedback.csv',
			changes: { format: 'csv', filters: {} }
		});
	});

	it('volunteers and grid leaders get 403; unknown files 404', async () => {
		for (const who of ['volunteer', 'leader'] as const) {
			const refused = await get(who, 'observations.csv').catch((error: unknown) => error);
			expect(refused).toBeInstanceOf(ApiError);
			expect(refused).toMatchObject({ status: 403, code: 'FORBIDDEN' });
		}
		for (const file of ['observations.pdf', 'users.csv', 'observations']) {
			await expect(get('admin', file)).rejects.toMatchObject({ status: 404 });
		}
	});
});
