import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { referenceImportRequest, type ReferenceImportRequest } from '$lib/domain';
import type { Database, Db } from '$lib/server/db';
import * as t from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { previewImport, runImport } from '$lib/server/reference';
import { pullPage } from '$lib/server/sync/pull';
import { protocolVersion, schemaVersion } from '$lib/sync/protocol';
import { databaseKinds, type TestDatabase } from './databases';
import { seedDistrict, square, type District } from './sync-fixtures';

const serving: { database: Database | null } = { database: null };
vi.mock('$lib/server/app', () => ({ getApp: async () => ({ database: serving.database }) }));
const { POST: previewRoute } = await import('../../src/routes/api/reference/preview/+server');

/**
 * Importing compounds, grids and buildings: the preview writes nothing, an import writes in one
 * transaction and a re-import updates by code, a refused row stops the import (or is left out when
 * asked), written rows reach devices through the pull and the audit log. On PGlite and PostgreSQL.
 */
describe.each(databaseKinds)('reference import on $kind', ({ open }) => {
	let database: TestDatabase;
	let db: Db;
	let d: District;
	let north: string;
	const request = (
		fields: Partial<ReferenceImportRequest> & Pick<ReferenceImportRequest, 'kind' | 'content'>
	) => referenceImportRequest.parse({ format: 'csv', ...fields });
	const importAs = (fields: Parameters<typeof request>[0]) =>
		runImport({ db, actorId: d.users.admin.id, requestId: 'req-import', locale: 'en' }, request(fields));
	const counter = async () =>
		Number(
			((await db.execute(sql`SELECT value FROM sync_counter`)) as unknown as { rows: { value: string }[] })
				.rows[0].value
		);
	const compoundsCoded = (code: string) =>
		db
			.select()
			.from(t.compounds)
			.where(and(eq(t.compounds.communityId, d.communities.north), eq(t.compounds.code, code)));
	const csv = (...lines: string[]) => ['community,code,name,address,households,lat,lng', ...lines].join('\n');

	beforeAll(async () => {
		database = await open();
		db = database.db;
		serving.database = database;
		d = await seedDistrict(db);
		north = `c-${d.communities.north}`;
	});
	afterAll(async () => {
		serving.database = null;
		await database.drop();
	});

	it('previews what would be created and refused, writing nothing', async () => {
		const before = await counter();
		const preview = await previewImport(
			db,
			request({
				kind: 'compound',
				content: csv(
					`${north},P-001,幸福小区,幸福路1号,120,33.631,116.981`,
					`nowhere,P-002,和平小区,,,33.632,116.982`
				)
			}),
			'zh-CN'
		);
		expect(preview.counts).toEqual({ create: 1, update: 0, unchanged: 0, refused: 1 });
		expect(preview.rows[1]).toMatchObject({ row: 3, code: 'P-002', action: 'refused' });
		expect(preview.rows[1].errors).toEqual([
			{ field: 'community', code: 'unknownCommunity', message: '社区编码：没有编码为 nowhere 的社区' }
		]);
		expect(await counter()).toBe(before);
		expect(await compoundsCoded('P-001')).toEqual([]);
	});

	it('refuses the whole import while a row is refused, naming its row; nothing is written', async () => {
		const before = await counter();
		const error = await importAs({
			kind: 'compound',
			content: csv(`${north},P-001,幸福小区,,,33.631,116.981`, `${north},P-003,,,,91,116.98`)
		}).catch((e) => e);
		expect(error).toBeInstanceOf(ApiError);
		const body = await (error as ApiError).toResponse('en').json();
		expect((error as ApiError).status).toBe(422);
		expect(body.code).toBe('ROWS_REFUSED');
		expect(body.preview.rows[1].row).toBe(3);
		expect(body.preview.rows[1].errors.map((e: { field: string }) => e.field)).toEqual(['name', 'lat']);
		expect(await counter()).toBe(before);
		expect(await compoundsCoded('P-001')).toEqual([]);
	});

	it('imports, then a re-import updates by code and never duplicates; devices pull the rows', async () => {
		const group = `group-${randomUUID()}`;
		const pull = (cursor: string | null) =>
			pullPage(db, d.actors.admin, {
				protocolVersion,
				schemaVersion,
				clientGroupId: group,
				cursor,
				limit: 500
			});
		let cursor: string | null = null;
		for (let page = await pull(null); ; page = await pull(cursor)) {
			cursor = page.cursor;
			if (!page.hasMore) break;
		}

		const first = await importAs({
			kind: 'compound',
			content: csv(
				`${north},P-001,幸福小区,幸福路1号,120,33.631,116.981`,
				`${north},P-002,和平小区,,,33.632,116.982`
			)
		});
		expect(first.counts).toMatchObject({ create: 2, refused: 0 });
		expect(first.written).toBe(2);
		const [created] = await compoundsCoded('P-001');
		expect(created).toMatchObject({
			name: '幸福小区',
			address: '幸福路1号',
			households: 120,
			centroid: { lat: 33.631, lng: 116.981 }
		});

		const pulled = await pull(cursor);
		const codes = pulled.changes.flatMap((c) =>
			c.collection === 'compound' && c.op === 'put' ? [c.record.code] : []
		);
		expect(codes.sort()).toEqual(['P-001', 'P-002']);

		const again = await importAs({
			kind: 'compound',
			content: csv(
				`${north},P-001,幸福小区,幸福路1号,150,33.631,116.981`,
				`${north},P-002,和平小区,,,33.632,116.982`
			)
		});
		expect(again.counts).toEqual({ create: 0, update: 1, unchanged: 1, refused: 0 });
		expect(again.rows[0].changed).toEqual(['households']);
		const updated = await compoundsCoded('P-001');
		expect(updated).toHaveLength(1);
		expect(updated[0]).toMatchObject({ id: created.id, households: 150 });
		expect(updated[0].syncVersion).toBeGreaterThan(created.syncVersion);

		const audit = await db.select().from(t.auditLog).where(eq(t.auditLog.requestId, 'req-import'));
		expect(audit.map((a) => a.action).sort()).toEqual([
			'reference.create',
			'reference.create',
			'reference.import',
			'reference.import',
			'reference.update'
		]);
		expect(audit.find((a) => a.action === 'reference.update')?.changes).toEqual({ households: 150 });
	});

	it('leaves refused rows out only when asked', async () => {
		const result = await importAs({
			kind: 'compound',
			skipRefused: true,
			content: csv(`${north},P-004,建设小区,,,33.633,116.983`, `${north},P-004,建设小区二期,,,33.634,116.984`)
		});
		expect(result.counts).toMatchObject({ create: 1, refused: 1 });
		expect(result.rows[1].errors[0]).toMatchObject({ field: 'code', code: 'duplicate' });
		expect(await compoundsCoded('P-004')).toHaveLength(1);
	});

	it('imports grids and buildings from GeoJSON, checking that the grid covers the compound', async () => {
		const fc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
		const grid = await importAs({
			kind: 'grid',
			format: 'geojson',
			content: fc({
				type: 'Feature',
				properties: { community: north, code: 'PW1', name: '幸福网格', compounds: ['P-001'] },
				geometry: square(116.98, 33.63, 0.01)
			})
		});
		expect(grid.counts.create).toBe(1);
		const buildings = await importAs({
			kind: 'building',
			format: 'geojson',
			skipRefused: true,
			content: fc(
				{
					type: 'Feature',
					properties: {
						community: north,
						compound: 'P-001',
						grid: 'PW1',
						code: '1',
						name: '1号楼',
						floors: 6
					},
					geometry: square(116.981, 33.631, 0.0005)
				},
				{
					type: 'Feature',
					properties: { community: north, compound: 'P-002', grid: 'PW1', code: '1', name: '1号楼' },
					geometry: { type: 'Point', coordinates: [116.982, 33.632] }
				}
			)
		});
		expect(buildings.counts).toMatchObject({ create: 1, refused: 1 });
		expect(buildings.rows[1].errors[0]).toMatchObject({ field: 'grid', code: 'gridElsewhere' });
		const [building] = await db.select().from(t.buildings).where(eq(t.buildings.code, '1'));
		expect(building.point).toEqual({ lat: 33.63125, lng: 116.98125 });
		expect(building.footprint?.type).toBe('Polygon');
	});

	it('answers anyone but an admin with 403 and a broken file with 400 in their language', async () => {
		const ask = async (who: 'admin' | 'coordinator', body: unknown) => {
			const response = await (previewRoute as (event: unknown) => Promise<Response>)({
				locals: { user: d.users[who], locale: 'zh-CN', requestId: 'req-preview' },
				request: new Request('http://local/api/reference/preview', {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body)
				})
			});
			return { status: response.status, body: await response.json() };
		};
		const file = { kind: 'compound', format: 'csv', content: 'code,name\nA,B,C\n' };
		expect((await ask('coordinator', file)).status).toBe(403);
		const broken = await ask('admin', file);
		expect(broken).toMatchObject({ status: 400, body: { code: 'BAD_FILE' } });
		expect(broken.body.message).toContain('第 2 行');
	});
});
