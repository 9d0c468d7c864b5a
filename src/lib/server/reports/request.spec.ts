import { describe, expect, it } from 'vitest';
import { filtersOf, monthOf } from './request';

describe('review query strings', () => {
	it('defaults to the last full month of the district, whose new month starts at local midnight', () => {
		const q = new URLSearchParams();
		expect(monthOf(q, new Date('2030-03-31T15:59:00Z'), 'Asia/Shanghai')).toBe('2030-02');
		expect(monthOf(q, new Date('2030-03-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2030-03');
		expect(monthOf(q, new Date('2030-01-15T00:00:00Z'), 'Asia/Shanghai')).toBe('2029-12');
		expect(monthOf(new URLSearchParams('month=2030-07'), new Date(), 'Asia/Shanghai')).toBe('2030-07');
	});

	it('refuses a malformed month or filter with 400 and names it', () => {
		expect(() => monthOf(new URLSearchParams('month=2030-13'), new Date(), 'UTC')).toThrow(
			expect.objectContaining({ status: 400, params: { details: 'month' } })
		);
		expect(() => filtersOf(new URLSearchParams('from=yesterday&compoundId=x'))).toThrow(
			expect.objectContaining({ status: 400, params: { details: 'compoundId, from' } })
		);
		expect(() => filtersOf(new URLSearchParams('from=2030-05-02&to=2030-05-01'))).toThrow(
			expect.objectContaining({ status: 400 })
		);
		expect(filtersOf(new URLSearchParams('from=2030-05-01&gridId='))).toEqual({ from: '2030-05-01' });
	});
});
