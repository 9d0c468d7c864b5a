import { describe, expect, it } from 'vitest';
import { fitWithin, maxPhotoFileBytes, photoFileProblem } from './fit';

describe('fitWithin', () => {
	it('scales a large photo so its longest side is 1600 px, keeping its shape', () => {
		expect(fitWithin({ width: 4000, height: 3000 })).toEqual({ width: 1600, height: 1200 });
		expect(fitWithin({ width: 3000, height: 4000 })).toEqual({ width: 1200, height: 1600 });
		expect(fitWithin({ width: 4032, height: 1816 })).toEqual({ width: 1600, height: 721 });
	});

	it('never enlarges, and never gives a side of zero', () => {
		expect(fitWithin({ width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
		expect(fitWithin({ width: 1600, height: 1600 })).toEqual({ width: 1600, height: 1600 });
		expect(fitWithin({ width: 20_000, height: 3 })).toEqual({ width: 1600, height: 1 });
	});
});

describe('photoFileProblem', () => {
	const file = (name: string, type: string, size = 1000) => ({ name, type, size });

	it('takes any image the browser may decode', () => {
		expect(photoFileProblem(file('IMG_0001.jpg', 'image/jpeg'))).toBeNull();
		expect(photoFileProblem(file('scan.png', 'image/png'))).toBeNull();
		expect(photoFileProblem(file('IMG_0002.HEIC', ''))).toBeNull();
	});

	it('refuses what is not an image', () => {
		expect(photoFileProblem(file('report.pdf', 'application/pdf'))).toBe('notImage');
		expect(photoFileProblem(file('notes.txt', 'text/plain'))).toBe('notImage');
		expect(photoFileProblem(file('blob', ''))).toBe('notImage');
	});

	it('refuses a file over 10 MB (the server’s default limit) before resizing it', () => {
		expect(maxPhotoFileBytes).toBe(10 * 1024 * 1024);
		expect(photoFileProblem(file('big.jpg', 'image/jpeg', maxPhotoFileBytes))).toBeNull();
		expect(photoFileProblem(file('big.jpg', 'image/jpeg', maxPhotoFileBytes + 1))).toBe('tooLarge');
		expect(photoFileProblem(file('big.jpg', 'image/jpeg', 2000), 1000)).toBe('tooLarge');
	});
});
