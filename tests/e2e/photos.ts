import type { Page } from '@playwright/test';

/**
 * A JPEG drawn by the browser (a gradient, a grid and a label, so it compresses like a photo, not a flat
 * colour). `orientation` adds an EXIF block saying how the camera was held (6: turned 90° clockwise).
 */
export async function makeJpeg(
	page: Page,
	{ width, height, orientation }: { width: number; height: number; orientation?: number }
): Promise<Buffer> {
	const base64 = await page.evaluate(
		async ({ width, height }) => {
			const canvas = new OffscreenCanvas(width, height);
			const context = canvas.getContext('2d')!;
			const gradient = context.createLinearGradient(0, 0, width, height);
			gradient.addColorStop(0, '#0f766e');
			gradient.addColorStop(0.5, '#f59e0b');
			gradient.addColorStop(1, '#1f2933');
			context.fillStyle = gradient;
			context.fillRect(0, 0, width, height);
			context.strokeStyle = 'rgba(255,255,255,0.5)';
			const step = Math.max(8, Math.round(Math.min(width, height) / 24));
			for (let x = 0; x < width; x += step) context.strokeRect(x, 0, step / 2, height);
			context.fillStyle = '#fff';
			context.font = `${Math.round(height / 6)}px sans-serif`;
			context.fillText('gridwalk', width / 10, height / 2);
			const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
			const bytes = new Uint8Array(await blob.arrayBuffer());
			let binary = '';
			for (let i = 0; i < bytes.length; i += 0x8000) {
				binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
			}
			return btoa(binary);
		},
		{ width, height }
	);
	const jpeg = Buffer.from(base64, 'base64');
	return orientation ? withOrientation(jpeg, orientation) : jpeg;
}

/** The JPEG with an APP1 EXIF segment right after its start marker, holding only the orientation tag. */
function withOrientation(jpeg: Buffer, orientation: number): Buffer {
	const tiff = Buffer.from([
		...[0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08], // big-endian TIFF header, first IFD at 8
		...[0x00, 0x01], // one entry
		...[0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00], // Orientation, SHORT
		...[0x00, 0x00, 0x00, 0x00] // no next IFD
	]);
	const payload = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
	const length = Buffer.alloc(2);
	length.writeUInt16BE(payload.length + 2);
	return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), length, payload, jpeg.subarray(2)]);
}

/** A photo given to the form's camera input (1200×900 unless told; photos of one size are the same photo). */
export async function takePhoto(page: Page, name: string, size = { width: 1200, height: 900 }) {
	await page.locator('input[name=camera]').setInputFiles({
		name,
		mimeType: 'image/jpeg',
		buffer: await makeJpeg(page, size)
	});
}
