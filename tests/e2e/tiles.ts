import { deflateSync } from 'node:zlib';
import type { BrowserContext } from '@playwright/test';

// Map tiles for the tests: no tile server is reachable here, so every z/x/y tile request is answered by
// Playwright with one local image (a pale grid, so screenshots show where tiles are).

const crcTable = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Buffer): number {
	let c = 0xffffffff;
	for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** A 256 × 256 RGB PNG: a light land colour with a street-like line every 64 px. */
export function tilePng(): Buffer {
	const size = 256;
	const rows: Buffer[] = [];
	for (let y = 0; y < size; y++) {
		const row = Buffer.alloc(1 + size * 3);
		for (let x = 0; x < size; x++) {
			const street = x % 64 < 3 || y % 64 < 3;
			const [r, g, b] = street ? [255, 255, 255] : [232, 226, 212];
			row.set([r, g, b], 1 + x * 3);
		}
		rows.push(row);
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0))
	]);
}

/** The default tile server's address (OpenStreetMap), as the map asks for it. */
export const tileAddress = /^https:\/\/tile\.openstreetmap\.org\/\d+\/\d+\/\d+\.png$/;

/** Answers every tile request with the local image; returns the tiles asked for. */
export async function serveTiles(context: BrowserContext): Promise<string[]> {
	const png = tilePng();
	const asked: string[] = [];
	await context.route(tileAddress, (route) => {
		asked.push(route.request().url());
		return route.fulfill({ contentType: 'image/png', body: png });
	});
	return asked;
}
