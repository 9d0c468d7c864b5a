import type { Locale } from './index';

/** "2 分钟前" / "2 minutes ago" from an ISO time, measured against `now`. */
export function timeAgo(iso: string, now: number, locale: Locale): string {
	const seconds = Math.round((Date.parse(iso) - now) / 1000);
	const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
	const steps: [Intl.RelativeTimeFormatUnit, number][] = [
		['second', 60],
		['minute', 60],
		['hour', 24],
		['day', 30],
		['month', 12]
	];
	let value = seconds;
	for (const [unit, size] of steps) {
		if (Math.abs(value) < size) return format.format(unit === 'second' ? Math.min(value, 0) : value, unit);
		value = Math.round(value / size);
	}
	return format.format(value, 'year');
}

/** "1.5 MB" in the locale's number format. */
export function formatBytes(bytes: number, locale: Locale): string {
	const units = ['B', 'KB', 'MB', 'GB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	const digits = unit === 0 || value >= 10 ? 0 : 1;
	return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** The full date and time, "2026年11月25日 16:00:00" / "Nov 25, 2026, 4:00:00 PM", in the device's time zone. */
export function exactTime(iso: string, locale: Locale, timeZone?: string): string {
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(
		new Date(iso)
	);
}

/** The date and minute, "2026年11月25日 16:00" / "Nov 25, 2026, 4:00 PM", in the device's time zone. */
export function shortTime(iso: string, locale: Locale, timeZone?: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '';
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}
