import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/** Whole image files for the upload suites, each of a known pixel size. */

/** Bytes a `Request` body takes as they are. */
export type Photo = Uint8Array<ArrayBuffer>;

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

/** A real PNG: a grey RGB picture, compressed, every chunk with its CRC. */
export function png(width: number, height: number): Photo {
	const chunk = (type: string, data: Buffer) => {
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([length, body, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bits per sample
	header[9] = 2; // RGB
	const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x80)]);
	const pixels = Buffer.concat(Array.from({ length: height }, () => row));
	const file = Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(pixels)),
		chunk('IEND', Buffer.alloc(0))
	]);
	return new Uint8Array(file);
}

/** A baseline JPEG laid out as cameras write it: JFIF and EXIF segments before the frame header. */
export function jpeg(width: number, height: number): Photo {
	const segment = (marker: number, payload: number[]) => [
		0xff,
		marker,
		...u16(payload.length + 2),
		...payload
	];
	const ascii = (text: string) => [...Buffer.from(text, 'ascii')];
	return Uint8Array.from([
		0xff,
		0xd8,
		...segment(0xe0, [...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
		...segment(0xe1, [...ascii('Exif\0\0'), ...Array(300).fill(0)]),
		...segment(0xc0, [8, ...u16(height), ...u16(width), 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]),
		...segment(0xda, [3, 1, 0, 2, 0, 3, 0, 0, 63, 0]),
		...Array(64).fill(0x2a),
		0xff,
		0xd9
	]);
}

/** A lossless WebP: the RIFF container and the VP8L header with its 14-bit sizes. */
export function webp(width: number, height: number): Photo {
	const bits = (width - 1) | ((height - 1) << 14);
	const image = [0x2f, ...u32le(bits), ...Array(16).fill(0)];
	const chunk = [...Buffer.from('VP8L', 'ascii'), ...u32le(image.length), ...image];
	return Uint8Array.from([
		...Buffer.from('RIFF', 'ascii'),
		...u32le(4 + chunk.length),
		...Buffer.from('WEBP', 'ascii'),
		...chunk
	]);
}
