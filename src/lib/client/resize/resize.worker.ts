import { fitWithin, photoQuality, type ResizeRequest, type ResizeResponse } from './fit';

// Decoding and re-encoding a 12-megapixel photo takes long enough to freeze a cheap phone's page: here it
// cannot. EXIF orientation is applied by the decoder, and re-encoding drops the EXIF (and its GPS) block.
self.addEventListener('message', async (event: MessageEvent<ResizeRequest>) => {
	const { id, file } = event.data;
	const answer = (response: ResizeResponse) => self.postMessage(response);
	if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') {
		return answer({ id, ok: false, reason: 'unsupported' });
	}
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch {
		return answer({ id, ok: false, reason: 'unreadable' });
	}
	try {
		const { width, height } = fitWithin(bitmap);
		const canvas = new OffscreenCanvas(width, height);
		const context = canvas.getContext('2d');
		if (!context) return answer({ id, ok: false, reason: 'unsupported' });
		context.imageSmoothingQuality = 'high';
		context.drawImage(bitmap, 0, 0, width, height);
		const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: photoQuality });
		answer({ id, ok: true, blob, width, height });
	} catch {
		answer({ id, ok: false, reason: 'unsupported' });
	} finally {
		bitmap.close();
	}
});
