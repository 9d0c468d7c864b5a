import { describe, expect, it } from 'vitest';
import { exactTime, formatBytes, timeAgo } from './format';

describe('formatting for the person’s language', () => {
	const now = Date.parse('2026-11-25T08:00:00Z');
	it('says how long ago something happened', () => {
		expect(timeAgo('2026-11-25T07:58:00Z', now, 'en')).toBe('2 minutes ago');
		expect(timeAgo('2026-11-25T07:58:00Z', now, 'zh-CN')).toBe('2分钟前');
		expect(timeAgo('2026-11-25T07:59:58Z', now, 'en')).toBe('2 seconds ago');
		expect(timeAgo('2026-11-24T08:00:00Z', now, 'en')).toBe('yesterday');
		// A device clock a little behind the server's must not read "in 5 seconds".
		expect(timeAgo('2026-11-25T08:00:05Z', now, 'en')).toBe('now');
	});
	it('gives sizes in B, KB, MB', () => {
		expect(formatBytes(512, 'en')).toBe('512 B');
		expect(formatBytes(1536, 'en')).toBe('1.5 KB');
		expect(formatBytes(12 * 1024 * 1024, 'zh-CN')).toBe('12 MB');
	});
	it('gives the exact time, to the second', () => {
		expect(exactTime('2026-11-25T08:00:05Z', 'en', 'Asia/Shanghai')).toMatch(/^Nov 25, 2026, 4:00:05\sPM$/);
		expect(exactTime('2026-11-25T08:00:05Z', 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月25日 16:00:05');
	});
});
