import type { APIRequestContext, Page } from '@playwright/test';
import { v7 as uuidv7 } from 'uuid';
import { protocolVersion, schemaVersion, type PullResponse } from '$lib/sync/protocol';
import { backOnline, clientKey, move, openCase, push, secondDevice, synced } from './caseSteps';
import { buildingsInScope, deviceRows, putRows, screens, signedInAndSynced } from './device';
import { demoPassword, expect, screenshots, test } from './fixtures';
import { makeJpeg } from './photos';

// /cases: the open cases of a grid leader's grids, a case's timeline, comments with photos, the moves
// the state machine allows, offline through the outbox, and a move someone else overtook.

// Before uploading a photo the sync asks the blob store whether it has it (HEAD): a new photo answers 404.
test.use({ expectedHttpErrors: [404] });

/** What the server holds for the person signed in on `request`, as a fresh device pulls it. */
async function serverView(request: APIRequestContext) {
	const changes: PullResponse['changes'] = [];
	const clientGroupId = clientKey();
	let cursor: string | null = null;
	for (;;) {
		const response = await request.post('/api/sync/pull', {
			data: { protocolVersion, schemaVersion, clientGroupId, cursor, limit: 1000 }
		});
		expect(response.status()).toBe(200);
		const page = (await response.json()) as PullResponse;
		changes.push(...page.changes);
		cursor = page.cursor;
		if (!page.hasMore) break;
	}
	return (collection: string) =>
		changes.flatMap((c) =>
			c.collection === collection && c.op === 'put' ? [c.record as Record<string, unknown>] : []
		);
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(180_000);
	// Offline, the sync's requests fail by design; Chromium logs each as an error.
	test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

	test('a grid leader comments with a photo, triages, assigns and starts a case offline, resolves it online, and the server has every step', async ({
		page,
		context
	}) => {
		const me = await signedInAndSynced(page, 'leader');
		const [building] = await buildingsInScope(page, me);
		const caseId = await openCase(page.request, me, building);

		// The home page leads to the cases; the new case comes down with the next sync.
		await page.goto('/');
		await page.getByRole('link', { name: /案件/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: '案件' })).toBeVisible();
		await page.locator('select[name=status]').selectOption('reported');
		await page.getByRole('searchbox').fill(building.name);
		await expect(page).toHaveURL(/status=reported/);
		const row = page.locator(`a[href="/cases/${caseId}"]`);
		await expect(row).toBeVisible({ timeout: 30_000 });
		await expect(row.locator('.status')).toHaveText('已上报');
		await expect(row.locator('.priority')).toHaveText('紧急');
		await row.click();

		await expect(page.getByRole('heading', { level: 1 })).toContainText(building.name);
		await expect(page.locator('.facts')).toContainText('安全隐患');
		await expect(page.locator('.timeline')).toContainText('上报为案件');
		// A grid leader may triage, mark a duplicate or reject here; closing is for coordinators.
		await expect(page.locator('.moves .buttons button')).toHaveText(['分拣', '标为重复', '不予受理']);

		await context.setOffline(true);
		await expect(page.locator('.status .net')).toHaveText('离线');

		// A comment with a photo, saved on this device.
		await page.getByRole('button', { name: '发表评论' }).click();
		await expect(page.getByText('请写下评论或添加照片。')).toBeVisible();
		// What is typed is kept on the device: a reload (a call, the browser closed) brings it back.
		await page.getByLabel('评论内容').fill('楼道里堆着纸箱');
		await page.reload();
		await expect(page.getByLabel('评论内容')).toHaveValue('楼道里堆着纸箱');
		const jpeg = await makeJpeg(page, { width: 1200, height: 900 });
		await page
			.locator('input[name=gallery]')
			.setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: jpeg });
		await expect(page.locator('.comment .thumbs img')).toHaveCount(1, { timeout: 15_000 });
		await page.getByLabel('评论内容').fill('楼道里堆着纸箱，已通知住户清理');
		await page.getByRole('button', { name: '发表评论' }).click();
		await expect(page.getByText('评论已保存在本机，联网后会自动同步。')).toBeVisible();
		await expect(page.getByLabel('评论内容')).toHaveValue('');
		const comment = page.locator('.timeline > li[data-kind=comment]');
		await expect(comment).toContainText('楼道里堆着纸箱');
		await expect(comment).toContainText('已保存在本机，尚未同步');
		await expect(comment.locator('img[data-sha256]')).toBeVisible();
		await expect(page.locator('p.pending')).toBeVisible();

		await move(page, '分拣', '确认：分拣');
		await expect(page.locator('.facts .status')).toHaveText('已分拣');
		await expect(page.locator('.facts')).toContainText('办理期限');

		// Assigning needs a person; the leader is offered first, with the grid's team optional.
		await page.locator('.moves').getByRole('button', { name: '交办', exact: true }).click();
		await page.locator('select[name=assigneeId]').selectOption('');
		await page.getByRole('button', { name: '确认：交办' }).click();
		await expect(page.getByText('请选择处理人。')).toBeVisible();
		await page.locator('select[name=assigneeId]').selectOption(me.id);
		await page.getByRole('button', { name: '确认：交办' }).click();
		await expect(page.locator('.facts .status')).toHaveText('已交办');

		await move(page, '开始处理', '确认：开始处理');
		await expect(page.locator('.facts .status')).toHaveText('处理中');
		const pendingSteps = page.locator('.timeline > li.pending');
		await expect(pendingSteps).toHaveCount(4);
		await expect(pendingSteps.nth(1)).toContainText('已上报 → 已分拣');
		// Nothing has reached the server yet (the test's own requests are not the device's, and stay online).
		const before = await serverView(page.request);
		expect(before('case').find((c) => c.id === caseId)).toMatchObject({ status: 'reported' });
		expect(before('caseEvent').filter((e) => e.caseId === caseId)).toHaveLength(1);

		// Online: it all goes up, photo first.
		await backOnline(page, () => expect(page.locator('p.pending')).toHaveCount(0, { timeout: 10_000 }));
		await synced(page);
		await expect(page.locator('.timeline > li.pending')).toHaveCount(0);
		await expect(page.locator('.timeline > li')).toHaveCount(5);

		// Resolving needs the resolution.
		await page.locator('.moves').getByRole('button', { name: '标为已解决', exact: true }).click();
		await page.getByRole('button', { name: '确认：标为已解决' }).click();
		await expect(page.getByText('请写下处理结果。')).toBeVisible();
		await page.getByLabel('处理结果').fill('杂物已清走，楼道畅通');
		await page.getByRole('button', { name: '确认：标为已解决' }).click();
		await expect(page.locator('.facts .status')).toHaveText('已解决');
		await synced(page);
		await expect(page.locator('.moves')).toContainText('这个案件现在没有您可以做的操作。');

		// The server has the case where the device has it, and every step as an event.
		const server = await serverView(page.request);
		const [stored] = server('case').filter((c) => c.id === caseId);
		expect(stored).toMatchObject({
			status: 'resolved',
			assigneeId: me.id,
			resolution: '杂物已清走，楼道畅通'
		});
		const events = server('caseEvent')
			.filter((e) => e.caseId === caseId)
			.sort((a, b) => String(a.at).localeCompare(String(b.at)));
		expect(events.map((e) => (e.kind === 'comment' ? 'comment' : e.to))).toEqual([
			'reported',
			'comment',
			'triaged',
			'assigned',
			'in_progress',
			'resolved'
		]);
		const posted = events.find((e) => e.kind === 'comment') as { photos: { sha256: string }[]; by: string };
		expect(posted.by).toBe(me.id);
		expect(posted.photos).toHaveLength(1);
		expect((await page.request.get(`/api/blobs/${posted.photos[0].sha256}`)).status()).toBe(200);
		const [device] = (await deviceRows<{ id: string; status: string }>(page, 'case')).filter(
			(c) => c.id === caseId
		);
		expect(device.status).toBe('resolved');
	});
});

test(
	'with 5,000 cases on the device the list holds fewer than 100 rows; filters narrow it and stay in the address',
	{ tag: '@laptop' },
	async ({ page }) => {
		const me = await signedInAndSynced(page, 'leader');
		const buildings = await buildingsInScope(page, me);
		const now = Date.now();
		const statuses = ['reported', 'triaged', 'assigned', 'in_progress'] as const;
		const categories = ['parking', 'sanitation', 'safety', 'facility'] as const;
		await putRows(
			page,
			'case',
			Array.from({ length: 5_000 }, (_, i) => {
				const building = buildings[i % buildings.length];
				return {
					id: uuidv7(),
					source: { type: 'observation', id: uuidv7() },
					title: `Bulk case ${String(i).padStart(4, '0')}`,
					category: categories[i % categories.length],
					priority: 'normal',
					compoundId: building.compoundId,
					gridId: building.gridId,
					status: statuses[i % statuses.length],
					assigneeId: i % 10 === 0 ? me.id : null,
					// Every 7th was due yesterday.
					dueAt: i % 7 === 0 ? new Date(now - 86_400_000).toISOString() : null,
					createdAt: new Date(now - i * 60_000).toISOString(),
					updatedAt: new Date(now - i * 60_000).toISOString()
				};
			})
		);
		await page.goto('/cases');
		const rows = page.locator('ol.case-rows > li');
		await expect(rows.first()).toBeVisible({ timeout: 30_000 });
		await expect(page.locator('.summary')).toContainText(/[5-9],\d{3} open cases|共 [5-9],\d{3} 件/);
		expect(await rows.count()).toBeLessThan(100);
		// Overdue ones come first.
		await expect(rows.first().locator('.late')).toBeVisible();

		await page.locator('input[name=overdue]').check();
		await page.locator('select[name=category]').selectOption('safety');
		await expect(page).toHaveURL(/category=safety&overdue=1/);
		for (const text of await page.locator('a.case .category').allTextContents())
			expect(text).toMatch(/安全隐患|Safety/);
		await page.getByRole('searchbox').fill('Bulk case 0014');
		await expect(rows).toHaveCount(1);
		await expect(page).toHaveURL(/q=Bulk/);
		await page.reload();
		await expect(page.getByRole('searchbox')).toHaveValue('Bulk case 0014');
		await expect(page.locator('input[name=overdue]')).toBeChecked();
		await expect(rows).toHaveCount(1);
		await rows.first().locator('a').click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bulk case 0014');
		await page.locator('a.back').click();
		await expect(page).toHaveURL(/q=Bulk/);
		await expect(rows).toHaveCount(1);
	}
);

test.describe('in English', () => {
	test.use({ locale: 'en-GB' });
	test.setTimeout(240_000);
	test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

	test('a move the coordinator made first is refused; the leader sees what changed and tries again from there', async ({
		page,
		context,
		browser
	}) => {
		const me = await signedInAndSynced(page, 'leader');
		const [building] = await buildingsInScope(page, me);
		const caseId = await openCase(page.request, me, building);
		await page.goto(`/cases/${caseId}`);
		await expect(page.locator('.facts .status')).toHaveText('Reported', { timeout: 30_000 });

		// The leader's phone loses the network; meanwhile the coordinator triages the case on their laptop.
		await context.setOffline(true);
		const coordinator = await secondDevice(browser, 'coordinator', 'en-GB');
		await coordinator.page.goto(`/cases/${caseId}`);
		await expect(coordinator.page.locator('.facts .status')).toHaveText('Reported', { timeout: 30_000 });
		await move(coordinator.page, 'Triage', 'Confirm: Triage');
		// On the server once the step comes back from it as an event, no longer "saved on this device".
		await expect(coordinator.page.locator('.facts .status')).toHaveText('Triaged');
		await expect(
			coordinator.page.locator('.timeline > li:not(.pending)').filter({ hasText: 'Reported → Triaged' })
		).toBeVisible({ timeout: 30_000 });
		await synced(coordinator.page);
		await expect(page.locator('.status .net')).toHaveText('Offline');

		// Offline, the leader still sees it reported and rejects it.
		await page.locator('.moves').getByRole('button', { name: 'Reject', exact: true }).click();
		await page.getByRole('button', { name: 'Confirm: Reject' }).click();
		await expect(page.getByText('Write down why it is rejected.')).toBeVisible();
		await page
			.getByLabel('Why it is rejected')
			.fill('Not the property service’s job: the resident will call 12345');
		await page.getByRole('button', { name: 'Confirm: Reject' }).click();
		await expect(page.locator('.facts .status')).toHaveText('Rejected');
		await expect(page.locator('p.pending')).toBeVisible();

		// Online: refused, with what changed and who changed it.
		const conflict = page.locator('.conflict');
		await backOnline(page, () => expect(conflict).toBeVisible({ timeout: 10_000 }));
		await expect(conflict.getByRole('heading')).toHaveText('Someone else moved this case first');
		await expect(conflict).toContainText('Your change on this device: Reported → Rejected');
		const coordinatorName = (await (await coordinator.page.request.get('/api/auth/me')).json()).displayName;
		await expect(conflict.locator('.steps li')).toContainText(
			`${coordinatorName} changed the status from “Reported” to “Triaged”`,
			{ timeout: 30_000 }
		);
		await expect(conflict).toContainText('Status now: Triaged');
		// The status bar's "needs attention" leads here, where it is dealt with.
		await expect(page.locator('.status a.attention')).toHaveAttribute('href', `/cases/${caseId}`);
		// …and the bar keeps to one line on a phone, the count standing for the words (a sync's progress bar
		// may add its own thin line below).
		const middle = async (selector: string) => {
			const box = (await page.locator(`div.status ${selector}`).boundingBox())!;
			return box.y + box.height / 2;
		};
		const row = await middle('.line');
		expect(Math.abs((await middle('a.attention')) - row)).toBeLessThan(4);
		expect(Math.abs((await middle('button')) - row)).toBeLessThan(4);
		await expect(page.locator('.facts .status')).toHaveText('Triaged');

		await conflict.getByRole('button', { name: 'Try again from here: Reject' }).click();
		await expect(conflict).toHaveCount(0);
		await expect(page.locator('.facts .status')).toHaveText('Rejected');
		await synced(page);

		const server = await serverView(page.request);
		const [stored] = server('case').filter((c) => c.id === caseId);
		expect(stored).toMatchObject({
			status: 'rejected',
			resolution: 'Not the property service’s job: the resident will call 12345'
		});
		const moves = server('caseEvent')
			.filter((e) => e.caseId === caseId && e.kind === 'transition')
			.sort((a, b) => String(a.at).localeCompare(String(b.at)))
			.map((e) => [e.from, e.to, e.by]);
		expect(moves).toEqual([
			[null, 'reported', me.id],
			['reported', 'triaged', coordinator.me.id],
			['triaged', 'rejected', me.id]
		]);
		expect(coordinator.errors).toEqual([]);
		await coordinator.context.close();
	});
});

/** No message key shows through where a translation is missing. */
async function untranslated(page: Page) {
	expect(await page.locator('body').innerText()).not.toMatch(
		/\b(cases|caseStatus|priority|category|role)\.[a-z_.]+/
	);
}

test.describe('screenshots', () => {
	test.setTimeout(600_000);

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
	const locales = ['zh-CN', 'en-GB'] as const;
	const words = {
		'zh-CN': {
			triage: '分拣',
			assign: '交办',
			start: '开始处理',
			resolve: '标为已解决',
			reject: '不予受理',
			duplicate: '标为重复',
			close: '办结',
			reopen: '重新打开',
			confirm: '确认：'
		},
		'en-GB': {
			triage: 'Triage',
			assign: 'Assign',
			start: 'Start work',
			resolve: 'Resolve',
			reject: 'Reject',
			duplicate: 'Mark duplicate',
			close: 'Close',
			reopen: 'Reopen',
			confirm: 'Confirm: '
		}
	};

	test(
		'the list, a case, each move form and a conflict at 360×640 and 1366×800, in Chinese and English (test-results/cases/)',
		screenshots,
		async ({ browser, request }) => {
			const login = await request.post('/api/auth/login', {
				data: { username: 'coordinator', password: demoPassword }
			});
			expect(login.status()).toBe(200);
			const coordinatorName = (await (await request.get('/api/auth/me')).json()).displayName as string;
			for (const size of sizes) {
				for (const locale of locales) {
					const w = words[locale];
					const { name, ...options } = size;
					const shot = (what: string) => `test-results/cases/${name}-${locale}-${what}.png`;
					const leader = await browser.newContext({ ...options, locale });
					// The one-time "ready to work offline" notice would cover the bottom of every picture.
					await leader.addInitScript(() => localStorage.setItem('gridwalk:offline-ready-notice', 'done'));
					const page = await leader.newPage();
					const errors: string[] = [];
					page.on('pageerror', (error) => errors.push(error.message));
					page.on('console', (m) => {
						if (m.type() === 'error' && !/status of 404|ERR_INTERNET_DISCONNECTED/.test(m.text()))
							errors.push(m.text());
					});
					const me = await signedInAndSynced(page, 'leader');
					const [building] = await buildingsInScope(page, me);
					const walked = await openCase(page.request, me, building, locale);
					const refused = await openCase(page.request, me, building, locale);

					await page.goto('/cases');
					await expect(page.locator('ol.case-rows > li').nth(3)).toBeVisible({ timeout: 30_000 });
					await page.screenshot({ path: shot('1-list') });
					await untranslated(page);
					await page.locator('input[name=overdue]').check();
					await page.screenshot({ path: shot('2-list-overdue') });

					await page.goto(`/cases/${walked}`);
					await expect(page.locator('.facts .status')).toBeVisible({ timeout: 30_000 });
					await screens(page, (n) => shot(`3-case-${n}`));
					await untranslated(page);

					const form = page.locator('#move-form');
					const moves = page.locator('.moves');
					/** Opens a move's form and takes it; `tried` first confirms it empty, to show what it asks for. */
					const open = async (button: string, file: string, tried = false) => {
						await moves.getByRole('button', { name: button, exact: true }).click();
						if (tried) await form.getByRole('button', { name: `${w.confirm}${button}` }).click();
						await form.scrollIntoViewIfNeeded();
						await page.screenshot({ path: shot(file) });
					};
					const confirm = (button: string) =>
						form.getByRole('button', { name: `${w.confirm}${button}` }).click();
					await open(w.reject, '4-form-reject', true);
					await open(w.duplicate, '5-form-duplicate', true);
					await open(w.triage, '6-form-triage');
					await confirm(w.triage);
					await expect(page.locator('.facts .status')).toHaveText(locale === 'zh-CN' ? '已分拣' : 'Triaged');
					await open(w.assign, '7-form-assign');
					await confirm(w.assign);
					await open(w.start, '8-form-start');
					await confirm(w.start);
					await open(w.resolve, '9-form-resolve', true);
					await page.locator('textarea[name=resolution]').fill('OK');
					await confirm(w.resolve);
					await expect(page.locator('.facts .status')).toHaveText(locale === 'zh-CN' ? '已解决' : 'Resolved');
					await synced(page);
					await screens(page, (n) => shot(`10-case-resolved-${n}`));

					// A conflict: the coordinator triages (through the API) while the leader, offline, rejects.
					await page.goto(`/cases/${refused}`);
					await expect(page.locator('.facts .status')).toBeVisible({ timeout: 30_000 });
					await leader.setOffline(true);
					await push(request, [
						{ name: 'case.transition', args: { id: refused, from: 'reported', to: 'triaged' } }
					]);
					await moves.getByRole('button', { name: w.reject, exact: true }).click();
					await page.locator('textarea[name=reason]').fill('12345');
					await form.getByRole('button', { name: `${w.confirm}${w.reject}` }).click();
					await backOnline(page, () =>
						expect(page.locator('.conflict .steps li')).toContainText(coordinatorName, {
							timeout: 10_000
						})
					);
					await expect(page.locator('.conflict')).toContainText(
						locale === 'zh-CN' ? '现在的状态：已分拣' : 'Status now: Triaged'
					);
					await page.evaluate(() => window.scrollTo(0, 0));
					await page.screenshot({ path: shot('11-conflict') });
					await untranslated(page);
					expect(errors).toEqual([]);
					await leader.close();

					// The coordinator's own moves: close (with satisfaction) and reopen a resolved case.
					const coordinator = await browser.newContext({ ...options, locale });
					await coordinator.addInitScript(() =>
						localStorage.setItem('gridwalk:offline-ready-notice', 'done')
					);
					const desk = await coordinator.newPage();
					await signedInAndSynced(desk, 'coordinator');
					await desk.goto(`/cases/${walked}`);
					await expect(desk.locator('.facts .status')).toBeVisible({ timeout: 30_000 });
					await desk.locator('.moves').getByRole('button', { name: w.close, exact: true }).click();
					await desk
						.locator('#move-form')
						.getByRole('button', { name: `${w.confirm}${w.close}` })
						.click();
					await desk.locator('#move-form').scrollIntoViewIfNeeded();
					await desk.screenshot({ path: shot('13-form-close') });
					await untranslated(desk);
					await desk.locator('.moves').getByRole('button', { name: w.reopen, exact: true }).click();
					await desk.locator('#move-form').scrollIntoViewIfNeeded();
					await desk.screenshot({ path: shot('14-form-reopen') });
					await coordinator.close();
				}
			}
		}
	);
});
