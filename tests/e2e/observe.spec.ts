import type { Page } from '@playwright/test';
import { buildingInScope, deviceRows, signedInAndSynced, standBy, statusLine } from './device';
import { expect, screenshots, test } from './fixtures';
import { makeJpeg } from './photos';
import { adminSeesPhoto } from './server';

// /observe, the quickest path from "I see a problem" to saved: category → subtype → photo, place, save.

// Before uploading a photo the sync asks the blob store whether it has it (HEAD): a new photo answers 404,
// which Chromium logs as an error.
test.use({ expectedHttpErrors: [404] });

interface DeviceObservation {
	id: string;
	category: string;
	subtype: string;
	severity: string;
	buildingId: string | null;
	compoundId: string;
	gridId: string | null;
	location: { lat: number; lng: number; accuracy: number };
	note: string;
	photos: { sha256: string; width: number; height: number; mime: string }[];
	observedAt: string;
	resolvedOnSpot: boolean;
	by: string;
}

/** Observations this test made (the device also holds the district's history). */
async function madeSince(page: Page, since: string) {
	const rows = await deviceRows<DeviceObservation>(page, 'observation');
	return rows.filter((o) => o.observedAt >= since);
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(120_000);

	test('the common case is three taps and a photo: category, subtype, photo, save — at the building GPS suggests', async ({
		page,
		context,
		request
	}) => {
		await signedInAndSynced(page);
		const building = await buildingInScope(page);
		await standBy(context, building);
		const since = new Date().toISOString();
		await page.getByRole('link', { name: /上报问题/ }).click();
		await expect(page.getByRole('heading', { name: '是什么问题？' })).toBeVisible();

		await page.getByRole('button', { name: '停车' }).click(); // tap 1
		await page.getByRole('button', { name: '消防通道被占用' }).click(); // tap 2
		await page.locator('input[name=camera]').setInputFiles({
			name: 'IMG_0001.jpg',
			mimeType: 'image/jpeg',
			buffer: await makeJpeg(page, { width: 1200, height: 900 })
		});
		await expect(page.getByRole('img', { name: '第 1 张照片' })).toBeVisible({ timeout: 20_000 });
		await expect(page.getByText('定位精度 ±12 米')).toBeVisible();
		await expect(page.locator(`input[name=building][value="${building.id}"]`)).toBeChecked();
		await expect(page.getByRole('radio', { name: '一般' })).toBeChecked();
		await page.getByRole('button', { name: '保存' }).click(); // tap 3

		await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible();
		await expect(page.getByRole('heading', { name: '是什么问题？' })).toBeVisible(); // reset for the next one
		const [saved] = await madeSince(page, since);
		expect(saved).toMatchObject({
			category: 'parking',
			subtype: 'parking.fire_lane_blocked',
			severity: 'medium',
			buildingId: building.id,
			compoundId: building.compoundId,
			location: { lat: building.point.lat, lng: building.point.lng, accuracy: 12 },
			note: '',
			resolvedOnSpot: false
		});
		expect(saved.photos).toEqual([expect.objectContaining({ mime: 'image/jpeg', width: 1200, height: 900 })]);

		await expect(page.getByText('已保存并同步到服务器。')).toBeVisible({ timeout: 30_000 });
		await expect(statusLine(page)).toContainText('已同步');
		await expect(page.locator('.attention')).toHaveCount(0);
		expect(await adminSeesPhoto(request, saved.photos[0].sha256)).toBe(200);

		await page.getByRole('link', { name: '返回首页' }).first().click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('您好');
	});

	test.describe(() => {
		test.use({ permissions: [] });

		test('without GPS the building is picked from a searchable list, and the form says what is missing', async ({
			page
		}) => {
			await signedInAndSynced(page);
			const building = await buildingInScope(page);
			const compound = (await deviceRows<{ id: string; name: string }>(page, 'compound')).find(
				(c) => c.id === building.compoundId
			)!;
			const since = new Date().toISOString();
			await page.goto('/observe');
			await page.getByRole('button', { name: '环境卫生' }).click();
			await page.getByRole('button', { name: '垃圾桶满溢' }).click();
			await expect(page.getByText(/没有定位权限|无法定位/)).toBeVisible();

			await page.getByRole('radio', { name: '严重' }).check();
			await page.getByLabel('补充说明（可不填）').fill('东门垃圾桶满了');
			await page.getByRole('button', { name: '保存' }).click();
			await expect(page.getByText('请选择问题所在的楼栋。')).toBeVisible();
			await expect(page.getByRole('alert').filter({ hasText: '还不能保存' })).toBeVisible();
			expect(await madeSince(page, since)).toEqual([]);

			await page.getByRole('searchbox').fill(`${compound.name}${building.name}`);
			await page.locator(`input[name=building][value="${building.id}"]`).check();
			await expect(page.getByText('请选择问题所在的楼栋。')).toHaveCount(0);
			await page.getByRole('switch', { name: /已当场解决/ }).check();
			await page.getByRole('button', { name: '保存' }).click();

			await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible();
			const [saved] = await madeSince(page, since);
			expect(saved).toMatchObject({
				category: 'sanitation',
				subtype: 'sanitation.overflowing_bin',
				severity: 'high',
				note: '东门垃圾桶满了',
				resolvedOnSpot: true,
				buildingId: building.id,
				// No fix: the building's own point, as accurate as the building is large.
				location: { lat: building.point.lat, lng: building.point.lng }
			});
			expect(saved.photos).toEqual([]);
		});
	});

	test('a file that is not an image, too large or unreadable is refused with a clear message, and nothing is saved', async ({
		page
	}) => {
		await signedInAndSynced(page);
		await page.goto('/observe');
		await page.getByRole('button', { name: '安全隐患' }).click();
		await page.getByRole('button', { name: '消防安全隐患' }).click();
		const gallery = page.locator('input[name=gallery]');

		await gallery.setInputFiles({
			name: '说明.txt',
			mimeType: 'text/plain',
			buffer: Buffer.from('不是照片')
		});
		await expect(page.getByRole('alert')).toContainText('“说明.txt”不是图片，没有添加。');

		await gallery.setInputFiles({
			name: 'huge.jpg',
			mimeType: 'image/jpeg',
			buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0xff)
		});
		await expect(page.getByRole('alert')).toContainText('“huge.jpg”有 10 MB，超过 10 MB 的上限，没有添加。');

		await gallery.setInputFiles({
			name: 'broken.jpg',
			mimeType: 'image/jpeg',
			buffer: Buffer.from('garbage')
		});
		await expect(page.getByRole('alert')).toContainText('无法读取“broken.jpg”');

		await expect(page.locator('.thumbs img')).toHaveCount(0);
		await expect(page.getByText('0/12 张')).toBeVisible();
		expect(await deviceRows(page, 'photos')).toEqual([]);
		expect(await deviceRows(page, 'outbox')).toEqual([]);
	});

	test('an unsaved report is kept as a draft, photo included: reopening offers it back, and discard forgets it', async ({
		page,
		context
	}) => {
		await signedInAndSynced(page);
		await standBy(context, await buildingInScope(page));
		await page.goto('/observe');
		await page.getByRole('button', { name: '设施故障' }).click();
		await page.getByRole('button', { name: '电梯故障' }).click();
		await page.locator('input[name=camera]').setInputFiles({
			name: 'lift.jpg',
			mimeType: 'image/jpeg',
			buffer: await makeJpeg(page, { width: 800, height: 600 })
		});
		await expect(page.getByRole('img', { name: '第 1 张照片' })).toBeVisible({ timeout: 20_000 });
		await page.getByLabel('补充说明（可不填）').fill('2单元电梯停在6楼');

		await page.reload();
		await expect(page.getByRole('heading', { name: '继续上次没有保存的上报吗？' })).toBeVisible();
		await expect(page.getByText(/电梯故障 · 1 张照片/)).toBeVisible();
		await page.getByRole('button', { name: '继续填写' }).click();
		await expect(page.getByRole('heading', { name: '电梯故障' })).toBeVisible();
		await expect(page.getByRole('img', { name: '第 1 张照片' })).toBeVisible({ timeout: 20_000 });
		await expect(page.getByLabel('补充说明（可不填）')).toHaveValue('2单元电梯停在6楼');

		await page.goto('/');
		await page.goto('/observe');
		await page.getByRole('button', { name: '放弃' }).click();
		await expect(page.getByRole('heading', { name: '是什么问题？' })).toBeVisible();
		await page.reload();
		await expect(page.getByRole('heading', { name: '是什么问题？' })).toBeVisible();
		await expect(page.getByText('继续上次没有保存的上报吗？')).toHaveCount(0);
	});

	test('a save the device refuses says why and keeps the form as it is', async ({ page, context }) => {
		await signedInAndSynced(page);
		const building = await buildingInScope(page);
		await standBy(context, building);
		await page.goto('/observe');
		await page.getByRole('button', { name: '安全隐患' }).click();
		await page.getByRole('button', { name: '路灯/楼道灯损坏' }).click();
		await page.getByLabel('补充说明（可不填）').fill('3单元楼道灯不亮');
		await expect(page.locator(`input[name=building][value="${building.id}"]`)).toBeChecked();
		// The device forgets who is signed in (as after a logout in another tab): it must refuse to record.
		await page.evaluate(
			() =>
				new Promise<void>((resolve, reject) => {
					const open = indexedDB.open('gridwalk');
					open.onsuccess = () => {
						const tx = open.result.transaction('meta', 'readwrite');
						tx.objectStore('meta').delete('actor');
						tx.oncomplete = () => {
							open.result.close();
							resolve();
						};
						tx.onerror = () => reject(tx.error);
					};
				})
		);
		await page.getByRole('button', { name: '保存' }).click();

		await expect(page.getByRole('alert')).toHaveText(
			'登录信息不在本机，没有保存。请重新登录后再试，填写的内容仍保留。'
		);
		await expect(page.getByRole('heading', { name: '路灯/楼道灯损坏' })).toBeVisible();
		await expect(page.getByLabel('补充说明（可不填）')).toHaveValue('3单元楼道灯不亮');
		await expect(page.locator(`input[name=building][value="${building.id}"]`)).toBeChecked();
		expect(await deviceRows(page, 'outbox')).toEqual([]);
	});

	test('photos are kept upright and at most 1600 px: EXIF orientation applied, a 4000×3000 photo resized in a worker', async ({
		page
	}, info) => {
		await signedInAndSynced(page);
		const workers: string[] = [];
		page.on('worker', (worker) => workers.push(worker.url()));
		await page.goto('/observe');
		await page.getByRole('button', { name: '其他' }).click();
		await page.getByRole('button', { name: '其他问题' }).click();
		const camera = page.locator('input[name=camera]');

		// Held turned: the sensor's 400×200 picture with EXIF orientation 6 is a 200×400 photo.
		await camera.setInputFiles({
			name: 'turned.jpg',
			mimeType: 'image/jpeg',
			buffer: await makeJpeg(page, { width: 400, height: 200, orientation: 6 })
		});
		const first = page.getByRole('img', { name: '第 1 张照片' });
		await expect(first).toHaveAttribute('width', '200');
		await expect(first).toHaveAttribute('height', '400');

		const large = await makeJpeg(page, { width: 4000, height: 3000 });
		await page.evaluate(() => {
			const seen: number[] = ((window as unknown as { longTasks: number[] }).longTasks = []);
			new PerformanceObserver((list) => seen.push(...list.getEntries().map((e) => e.duration))).observe({
				type: 'longtask'
			});
		});
		const started = Date.now();
		await camera.setInputFiles({ name: 'large.jpg', mimeType: 'image/jpeg', buffer: large });
		const second = page.getByRole('img', { name: '第 2 张照片' });
		await expect(second).toHaveAttribute('width', '1600');
		await expect(second).toHaveAttribute('height', '1200');
		const took = Date.now() - started;
		const longest = await page.evaluate(() =>
			Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks)
		);
		info.annotations.push({
			type: 'resize',
			description: `4000×3000 JPEG of ${Math.round(large.length / 1024)} KB to 1600×1200 in ${took} ms; longest main-thread task meanwhile ${Math.round(longest)} ms`
		});
		expect(workers.some((url) => /resize\.worker/.test(url))).toBe(true);
	});
});

test.describe('in English', () => {
	test.use({ locale: 'en-GB' });
	test.setTimeout(120_000);

	test.describe(() => {
		// Offline, the sync's requests fail by design; Chromium logs each as an error.
		test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

		test('offline: the report is saved on this device, waits as 1 to sync, and syncs once back online — another open tab counts it too', async ({
			page,
			context
		}) => {
			await signedInAndSynced(page);
			await standBy(context, await buildingInScope(page));
			const otherTab = await context.newPage();
			await otherTab.goto('/');
			await expect(statusLine(otherTab)).toContainText('Synced');
			const since = new Date().toISOString();
			await page.getByRole('link', { name: /Report a problem/ }).click();
			await expect(page.getByRole('heading', { name: 'What kind of problem?' })).toBeVisible();
			await context.setOffline(true);
			await expect(page.locator('.status .net')).toHaveText('Offline');

			await page.getByRole('button', { name: 'Parking' }).click();
			await page.getByRole('button', { name: 'E-bike charged indoors or in the stairwell' }).click();
			await page.locator('input[name=camera]').setInputFiles({
				name: 'IMG_2001.jpg',
				mimeType: 'image/jpeg',
				buffer: await makeJpeg(page, { width: 1000, height: 750 })
			});
			await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible({ timeout: 20_000 });
			await expect(page.getByText('Position ±12 m')).toBeVisible();
			await page.getByRole('button', { name: 'Save' }).click();

			await expect(
				page.getByText('Saved on this device; it syncs by itself when there is a network.')
			).toBeVisible();
			await expect(statusLine(page)).toContainText('1 waiting to sync');
			await expect(statusLine(otherTab)).toContainText('1 waiting to sync');
			expect(await madeSince(page, since)).toHaveLength(1);

			await context.setOffline(false);
			await expect(page.getByText('Saved and synced to the server.')).toBeVisible({ timeout: 30_000 });
			await expect(statusLine(page)).toContainText('Synced');
			await expect(statusLine(otherTab)).not.toContainText('waiting to sync');
		});
	});

	test('what is missing and what is refused is said in English', async ({ page }) => {
		await signedInAndSynced(page);
		await page.goto('/observe');
		await page.getByRole('button', { name: 'Sanitation' }).click();
		await page.getByRole('button', { name: 'Litter on the ground' }).click();
		await page.locator('input[name=gallery]').setInputFiles({
			name: 'notes.pdf',
			mimeType: 'application/pdf',
			buffer: Buffer.from('%PDF-1.4')
		});
		await expect(page.getByRole('alert')).toContainText('“notes.pdf” is not an image; it was not added.');
		await page.getByLabel('Note (optional)').fill('x'.repeat(2001));
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('The note can be at most 2000 characters.')).toBeVisible();
		await expect(page.getByRole('alert').filter({ hasText: 'Not saved yet' })).toBeVisible();
	});
});

test.describe('screenshots', () => {
	test.setTimeout(240_000);

	const sizes = [
		{
			name: 'phone',
			viewport: { width: 360, height: 640 },
			deviceScaleFactor: 2,
			isMobile: true,
			hasTouch: true
		},
		{
			name: 'laptop',
			viewport: { width: 1366, height: 800 },
			deviceScaleFactor: 1,
			isMobile: false,
			hasTouch: false
		}
	];
	const languages = [
		{ locale: 'zh-CN', parking: '停车', fireLane: '消防通道被占用', save: '保存', home: '上报问题' },
		{
			locale: 'en-GB',
			parking: 'Parking',
			fireLane: 'Fire lane blocked',
			save: 'Save',
			home: 'Report a problem'
		}
	];

	test(
		'each step at 360×640 and 1366×800, in Chinese and English (test-results/observe/)',
		screenshots,
		async ({ browser, page: first }) => {
			await signedInAndSynced(first);
			const building = await buildingInScope(first);
			for (const size of sizes) {
				for (const language of languages) {
					const context = await browser.newContext({
						viewport: size.viewport,
						deviceScaleFactor: size.deviceScaleFactor,
						isMobile: size.isMobile,
						hasTouch: size.hasTouch,
						locale: language.locale
					});
					const page = await context.newPage();
					const errors: string[] = [];
					page.on('pageerror', (error) => errors.push(error.message));
					page.on('console', (m) => {
						if (m.type() === 'error' && !m.text().includes('status of 404')) errors.push(m.text());
					});
					const shot = (step: string) =>
						page.screenshot({ path: `test-results/observe/${size.name}-${language.locale}-${step}.png` });
					const scrollToBottom = async () => {
						await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
						await page.waitForFunction(
							() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2
						);
					};
					await signedInAndSynced(page);
					await page.getByRole('link', { name: new RegExp(language.home) }).click();
					await page.getByRole('button', { name: language.parking }).waitFor();
					await shot('1-category');
					await page.getByRole('button', { name: language.parking }).click();
					await page.getByRole('button', { name: language.fireLane }).waitFor();
					await shot('2-subtype');
					await page.getByRole('button', { name: language.fireLane }).click();
					await page.locator('.gps').waitFor();
					await page.getByRole('button', { name: language.save }).click();
					await expect(page.locator('#place-error')).toBeInViewport();
					await page.waitForFunction(
						() =>
							new Promise((resolve) => {
								const before = window.scrollY;
								setTimeout(() => resolve(window.scrollY === before), 300);
							})
					);
					await shot('3-details-no-gps-errors');
					await scrollToBottom();
					await shot('3b-details-no-gps-bottom');

					await standBy(context, building);
					await page.reload();
					await page.locator('.draft button.primary').click();
					await page.locator(`input[name=building][value="${building.id}"]:checked`).waitFor();
					await page.locator('input[name=camera]').setInputFiles([
						{
							name: 'a.jpg',
							mimeType: 'image/jpeg',
							buffer: await makeJpeg(page, { width: 1200, height: 900 })
						}
					]);
					await page.locator('input[name=gallery]').setInputFiles([
						{
							name: 'b.jpg',
							mimeType: 'image/jpeg',
							buffer: await makeJpeg(page, { width: 600, height: 900 })
						},
						{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('x') }
					]);
					await expect(page.locator('.thumbs img')).toHaveCount(2);
					await shot('4-details');
					await scrollToBottom();
					await shot('5-details-bottom');

					await page.reload();
					await page.locator('.draft').waitFor();
					await shot('6-draft-offer');
					await page.locator('.draft button.primary').click();
					await expect(page.locator('.thumbs img')).toHaveCount(2);
					await page.getByRole('button', { name: language.save }).click();
					await page.locator('.saved[data-synced=true]').waitFor({ timeout: 30_000 });
					await shot('7-saved');
					expect(errors).toEqual([]);
					await context.close();
				}
			}
		}
	);
});
