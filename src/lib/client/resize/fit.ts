/** Photos are kept with their longest side at most this long (DESIGN.md §3). */
export const maxPhotoSide = 1600;
export const photoQuality = 0.8;
/** The largest file taken before resizing: the server's MAX_PHOTO_BYTES default, so no original is ever refused twice. */
export const maxPhotoFileBytes = 10 * 1024 * 1024;

export interface PixelSize {
	width: number;
	height: number;
}

/** The size a photo is drawn at: scaled down (never up) so its longest side fits `maxSide`. */
export function fitWithin({ width, height }: PixelSize, maxSide = maxPhotoSide): PixelSize {
	const scale = Math.min(1, maxSide / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export type PhotoFileProblem = 'notImage' | 'tooLarge';

/** Picture files some phones hand over without a type (HEIC from a gallery); decoding decides for them. */
const pictureName = /\.(jpe?g|png|webp|gif|bmp|heic|heif|avif)$/i;

/** Why a picked file is refused before any work is done on it, or null to go on and decode it. */
export function photoFileProblem(
	file: { name: string; type: string; size: number },
	maxBytes = maxPhotoFileBytes
): PhotoFileProblem | null {
	const image = file.type ? file.type.startsWith('image/') : pictureName.test(file.name);
	if (!image) return 'notImage';
	return file.size > maxBytes ? 'tooLarge' : null;
}

/** What the resize worker is asked, and answers (`unsupported`: do it on the page instead). */
export interface ResizeRequest {
	id: number;
	file: Blob;
}
export type ResizeResponse =
	| { id: number; ok: true; blob: Blob; width: number; height: number }
	| { id: number; ok: false; reason: 'unreadable' | 'unsupported' };
