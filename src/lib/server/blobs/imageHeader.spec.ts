import { describe, expect, it } from 'vitest';
import { pixelSize, sniffPhotoType } from './imageHeader';

const bytes = (...parts: (number[] | string)[]) =>
	Uint8Array.from(
		parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part))
	);
const be16 = (n: number) => [n >> 8, n & 0xff];
const le16 = (n: number) => [n & 0xff, n >> 8];
const le24 = (n: number) => [n & 0xff, (n >> 8) & 0xff, n >> 16];
const segment = (marker: number, payload: number[]) => [
	0xff,
	marker,
	...be16(payload.length + 2),
	...payload
];
const frame = (marker: number, width: number, height: number) =>
	segment(marker, [8, ...be16(height), ...be16(width), 1, 1, 0x11, 0]);
const riff = (chunk: string, payload: number[]) =>
	bytes('RIFF', [0, 0, 0, 0], 'WEBP', chunk, [0, 0, 0, 0], payload);

describe('sniffPhotoType', () => {
	it('knows JPEG, PNG and WebP by their first bytes', () => {
		expect(sniffPhotoType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
		expect(sniffPhotoType(bytes([0x89], 'PNG\r\n\x1a\n'))).toBe('image/png');
		expect(sniffPhotoType(riff('VP8L', []))).toBe('image/webp');
	});

	it('knows nothing else, however close', () => {
		expect(sniffPhotoType(bytes('just some text'))).toBeNull();
		expect(sniffPhotoType(bytes('GIF89a'))).toBeNull();
		expect(sniffPhotoType(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBeNull();
		expect(sniffPhotoType(bytes([0xff, 0xd8]))).toBeNull();
		expect(sniffPhotoType(new Uint8Array())).toBeNull();
	});
});

describe('pixelSize', () => {
	it('reads a JPEG frame header past the segments before it, fill bytes and tables included', () => {
		const head = bytes(
			[0xff, 0xd8],
			segment(0xe1, Array(500).fill(0)),
			segment(0xc4, Array(20).fill(1)),
			[0xff, 0xff],
			frame(0xc2, 1600, 1200)
		);
		expect(pixelSize('image/jpeg', head)).toEqual({ width: 1600, height: 1200 });
	});

	it('gives no JPEG size when the header is cut short or the scan comes before any frame', () => {
		const whole = bytes([0xff, 0xd8], segment(0xe0, Array(14).fill(0)), frame(0xc0, 640, 480));
		expect(pixelSize('image/jpeg', whole.subarray(0, whole.length - 6))).toBeNull();
		expect(pixelSize('image/jpeg', bytes([0xff, 0xd8], segment(0xda, [0]), frame(0xc0, 1, 1)))).toBeNull();
		expect(pixelSize('image/jpeg', bytes([0xff, 0xd8, 0x00, 0x00, 0x00, 0x00]))).toBeNull();
	});

	it('reads the PNG size from IHDR', () => {
		const head = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', [0, 0, 0x06, 0x40, 0, 0, 0x04, 0xb0]);
		expect(pixelSize('image/png', head)).toEqual({ width: 1600, height: 1200 });
		expect(pixelSize('image/png', head.subarray(0, 20))).toBeNull();
	});

	it('reads lossy, lossless and extended WebP sizes', () => {
		const lossy = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(1200), ...le16(900)]);
		const lossless = riff('VP8L', [0x2f, ...le24((1200 - 1) | ((900 - 1) << 14)), (900 - 1) >> 10]);
		const extended = riff('VP8X', [0, 0, 0, 0, ...le24(1199), ...le24(899)]);
		for (const head of [lossy, lossless, extended]) {
			expect(pixelSize('image/webp', head)).toEqual({ width: 1200, height: 900 });
		}
		expect(pixelSize('image/webp', riff('VP8 ', [0, 0, 0, 0, 0, 0, ...le16(1), ...le16(1)]))).toBeNull();
		expect(pixelSize('image/webp', riff('ALPH', Array(12).fill(0)))).toBeNull();
	});

	it('gives no size for an image that claims to be empty', () => {
		expect(pixelSize('image/jpeg', bytes([0xff, 0xd8], frame(0xc0, 0, 480)))).toBeNull();
	});
});
