import type { PhotoRef } from '$lib/domain';

export type PhotoMime = PhotoRef['mime'];
export interface PixelSize {
	width: number;
	height: number;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
	prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (bytes: Uint8Array, at: number, length: number) =>
	String.fromCharCode(...bytes.subarray(at, at + length));

/** The photo type by its first bytes (never by name or declared type); null for anything else. */
export function sniffPhotoType(head: Uint8Array): PhotoMime | null {
	if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'image/webp';
	return null;
}

/** Width and height from the image header; null when the header is damaged or lies beyond `head`. */
export function pixelSize(mime: PhotoMime, head: Uint8Array): PixelSize | null {
	const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
	try {
		const size = readers[mime](head, view);
		return size && size.width > 0 && size.height > 0 ? size : null;
	} catch {
		// A DataView read past the end: the header is cut short.
		return null;
	}
}

const readers: Record<PhotoMime, (head: Uint8Array, view: DataView) => PixelSize | null> = {
	// IHDR is always the first chunk: width and height as big-endian 32-bit numbers.
	'image/png': (head, view) =>
		ascii(head, 12, 4) === 'IHDR' ? { width: view.getUint32(16), height: view.getUint32(20) } : null,
	'image/jpeg': readJpeg,
	'image/webp': readWebp
};

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic); C4, C8 and CC are not frames. */
const startOfFrame = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Walks the JPEG segments to the first start-of-frame, which holds height then width. */
function readJpeg(head: Uint8Array, view: DataView): PixelSize | null {
	let at = 2;
	while (at + 4 <= head.length) {
		if (head[at] !== 0xff) return null;
		const marker = head[at + 1];
		if (marker === 0xff) {
			at += 1; // fill byte
			continue;
		}
		if (startOfFrame.has(marker)) return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
		// Markers without a length: TEM and the restart markers.
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			at += 2;
			continue;
		}
		if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame
		at += 2 + view.getUint16(at + 2);
	}
	return null;
}

/** The first chunk tells the WebP flavour: lossy (VP8), lossless (VP8L) or extended (VP8X, with a canvas size). */
function readWebp(head: Uint8Array, view: DataView): PixelSize | null {
	const u24 = (at: number) => view.getUint16(at, true) | (head[at + 2] << 16);
	switch (ascii(head, 12, 4)) {
		case 'VP8 ':
			if (!startsWith(head, [0x9d, 0x01, 0x2a], 23)) return null;
			return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
		case 'VP8L': {
			if (head[20] !== 0x2f) return null;
			const bits = view.getUint32(21, true);
			return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
		}
		case 'VP8X':
			return { width: u24(24) + 1, height: u24(27) + 1 };
		default:
			return null;
	}
}
