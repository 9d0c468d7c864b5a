import { fitWithin, photoQuality, type PixelSize, type ResizeRequest, type ResizeResponse } from './fit';

export interface ResizedPhoto extends PixelSize {
	blob: Blob;
}

/** The file is not a picture the browser can decode (an unsupported format, or damaged). */
export class PhotoUnreadable extends Error {
	constructor() {
		super('The photo cannot be read.');
		this.name = 'PhotoUnreadable';
	}
}

/** The page's one resize worker; null where workers cannot start (the page does the work then). */
let worker: Worker | null | undefined;
const waiting = new Map<number, (response: ResizeResponse) => void>();
let nextId = 0;

function resizeWorker(): Worker | null {
	if (worker !== undefined) return worker;
	try {
		worker = new Worker(new URL('./resize.worker.ts', import.meta.url), { type: 'module' });
		worker.addEventListener('message', (event: MessageEvent<ResizeResponse>) => {
			waiting.get(event.data.id)?.(event.data);
			waiting.delete(event.data.id);
		});
		worker.addEventListener('error', (event) => {
			// The worker did not load: every photo waiting on it is done on the page instead.
			event.preventDefault();
			worker = null;
			for (const [id, resolve] of waiting) resolve({ id, ok: false, reason: 'unsupported' });
			waiting.clear();
		});
	} catch {
		worker = null;
	}
	return worker;
}

/**
 * A photo as the device keeps it: upright (EXIF orientation applied), longest side at most 1600 px, JPEG at
 * quality 0.8. The work happens in a worker so the page never freezes; on the page where OffscreenCanvas is
 * missing. Throws `PhotoUnreadable` for a file that does not decode.
 */
export async function resizePhoto(file: Blob): Promise<ResizedPhoto> {
	const resizer = resizeWorker();
	if (resizer) {
		const id = ++nextId;
		const answer = await new Promise<ResizeResponse>((resolve) => {
			waiting.set(id, resolve);
			resizer.postMessage({ id, file } satisfies ResizeRequest);
		});
		if (answer.ok) return { blob: answer.blob, width: answer.width, height: answer.height };
		if (answer.reason === 'unreadable') throw new PhotoUnreadable();
	}
	return resizeOnPage(file);
}

async function decodeOnPage(
	file: Blob
): Promise<{ image: CanvasImageSource; size: PixelSize; done(): void }> {
	if (typeof createImageBitmap === 'function') {
		const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
		return { image: bitmap, size: bitmap, done: () => bitmap.close() };
	}
	// Browsers that orient <img> by EXIF (all current ones) draw it upright too.
	const url = URL.createObjectURL(file);
	const image = new Image();
	image.src = url;
	try {
		await image.decode();
	} finally {
		URL.revokeObjectURL(url);
	}
	return { image, size: { width: image.naturalWidth, height: image.naturalHeight }, done: () => {} };
}

async function resizeOnPage(file: Blob): Promise<ResizedPhoto> {
	let decoded;
	try {
		decoded = await decodeOnPage(file);
	} catch {
		throw new PhotoUnreadable();
	}
	try {
		const { width, height } = fitWithin(decoded.size);
		const canvas = document.createElement('canvas');
		canvas.width = width;
		canvas.height = height;
		const context = canvas.getContext('2d');
		if (!context) throw new PhotoUnreadable();
		context.imageSmoothingQuality = 'high';
		context.drawImage(decoded.image, 0, 0, width, height);
		const blob = await new Promise<Blob | null>((resolve) =>
			canvas.toBlob(resolve, 'image/jpeg', photoQuality)
		);
		if (!blob) throw new PhotoUnreadable();
		return { blob, width, height };
	} finally {
		decoded.done();
	}
}
