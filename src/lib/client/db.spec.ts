import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { collectionNames, collections } from '$lib/sync/collections';
import { deleteTestDbs, openTestDb } from './testing/devices';
import { newClientKey, newRecordId } from './ids';

afterEach(deleteTestDbs);

describe('the device database', () => {
	it('has one table per collection of the registry, keyed by id, with the registry’s indexes', async () => {
		const db = openTestDb();
		await db.open();

		for (const name of collectionNames) {
			const { schema } = db.table(name);
			const key = name === 'checklistTemplate' ? '[id+version]' : 'id';
			expect(schema.primKey.name, name).toBe(key);
			expect(
				schema.indexes.map((index) => index.name),
				name
			).toEqual([...collections[name].indexes]);
		}
		expect(db.tables.map((table) => table.name).sort()).toEqual(
			[...collectionNames, 'outbox', 'base', 'rejected', 'meta', 'photos', 'digest'].sort()
		);
	});

	it('keeps every version of a checklist template', async () => {
		const db = openTestDb();
		const template = {
			id: newRecordId(),
			version: 1,
			title: { zh: '夜间停车巡查', en: 'Evening parking patrol' },
			items: [
				{
					key: 'fire_lane',
					label: { zh: '消防通道畅通', en: 'Fire lane clear' },
					type: 'yes_no' as const,
					required: true
				}
			]
		};

		await db.checklistTemplate.bulkPut([template, { ...template, version: 2 }]);

		expect(await db.checklistTemplate.where('id').equals(template.id).count()).toBe(2);
	});
});

describe('ids', () => {
	it('makes UUIDv7 record ids', () => {
		expect(newRecordId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});

	it('makes url-safe client keys the protocol accepts, never the same twice', () => {
		const keys = Array.from({ length: 1000 }, newClientKey);
		for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(new Set(keys).size).toBe(keys.length);
	});
});
