import { describe, expect, it } from 'vitest';
import { auditQueryFrom, changeLines } from './audit';

describe('audit log helpers', () => {
	it('shows what changed as field: value lines, nested fields by path', () => {
		expect(
			changeLines({
				note: 'bin full',
				resident: { name: '王', phone: '138****5678' },
				gridIds: ['a', 'b'],
				location: null
			})
		).toEqual([
			['note', 'bin full'],
			['resident.name', '王'],
			['resident.phone', '138****5678'],
			['gridIds', 'a, b'],
			['location', '—']
		]);
		expect(changeLines({ text: 'x'.repeat(300) })[0][1]).toHaveLength(120);
		expect(changeLines(null)).toEqual([]);
	});

	it('reads the query, empty values absent, and refuses a reversed date range', () => {
		const read = (q: string) => auditQueryFrom(new URLSearchParams(q));
		expect(read('user=&limit=20').data).toEqual({ limit: 20 });
		expect(read('from=2030-03-05&to=2030-03-01').success).toBe(false);
		expect(read('cursor=2030-03-01T01:00:00.000000Z_42').success).toBe(true);
		expect(read('cursor=1 OR 1=1').success).toBe(false);
		expect(read('limit=5000').success).toBe(false);
	});
});
