import AxeBuilder from '@axe-core/playwright';
import { devices, type APIRequestContext } from '@playwright/test';
import type { AssessmentRow } from '$lib/domain';
import { backOnline, move, openCase, secondDevice, synced } from './caseSteps';
import { buildingsInScope, deviceRows, signedInAndSynced } from './device';
import { expect, screenshots, test } from './fixtures';
import { makeJpeg } from './photos';
import { serverRecords } from './server';

// /review/cases, the coordinators' case desk at laptop size (@laptop: once, on one database): the whole
// round of a case between a coordinator and a grid leader and what it does to the month's assessment, and
// assigning several cases at once.

test.use({ expectedHttpErrors: [404], expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

/** The district's month (Asia/Shanghai, as the assessment counts) of a moment: "2026-12". */
const districtMonth = (at: Date) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
		.format(at)
		.slice(0, 7);

async function assessmentRow(request: APIRequestContext, month: string, compoundId: string) {
	const response = await request.get(`/api/assessment?month=${month}`);
	expect(response.status()).toBe(200);
	const body = (await response.json()) as { rows: AssessmentRow[] };
	const row = body.rows.find((r) => r.compoundId === compoundId);
	expect(row, `compound ${compoundId} in the assessment of ${month}`).toBeDefined();
	return row as AssessmentRow;
}

test.describe('in Chinese', () => {
	test.use({ locale: 'zh-CN' });
	test.setTimeout(180_000);

	test(
		'a coordinator triages and assigns, the grid leader resolves it offline, the coordinator closes it with 5/5 and the assessment moves by that one case',
		{ tag: '@laptop' },
		async ({ page, browser }) => {
			await signedInAndSynced(page, 'coordinator');
			const leader = await secondDevice(browser, 'leader', 'zh-CN', devices['Pixel 7']);
			const buildings = await buildingsInScope(leader.page, leader.me);
			// A compound of the leader's other than the one the /cases tests work in, so their cases do not move its figures.
			const building = buildings.find((b) => b.compoundId !== buildings[0].compoundId) ?? buildings[0];
			const caseId = await openCase(leader.page.request, leader.me, building);

			// The figures before: this month (closing counts here) and the month the 24-hour due date falls in.
			const now = new Date();
			const thisMonth = districtMonth(now);
			const dueMonth = districtMonth(new Date(now.getTime() + 24 * 3_600_000));
			const before = await assessmentRow(page.request, thisMonth, building.compoundId);
			const dueBefore = await assessmentRow(page.request, dueMonth, building.compoundId);

			// The home page and the dashboard lead to the case desk; the new case is found by its compound.
			await page.goto('/');
			await page.getByRole('link', { name: /案件交办/ }).click();
			await expect(page.getByRole('heading', { level: 1, name: '案件交办' })).toBeVisible();
			await page.locator('select[name=compoundId]').selectOption(building.compoundId);
			await page.getByRole('searchbox').fill(building.name);
			await expect(page).toHaveURL(new RegExp(`compoundId=${building.compoundId}`));
			const row = page.locator(`[data-case="${caseId}"]`);
			await expect(row).toBeVisible({ timeout: 30_000 });
			await expect(row.locator('.status')).toHaveText('已上报');
			await row.getByRole('link').click();
			await expect(page).toHaveURL(`/review/cases/${caseId}`);

			await move(page, '分拣', '确认：分拣');
			await expect(page.locator('.facts .status')).toHaveText('已分拣');
			await page.locator('.moves').getByRole('button', { name: '交办', exact: true }).click();
			await page.locator('select[name=assigneeId]').selectOption(leader.me.id);
			await page.getByRole('button', { name: '确认：交办' }).click();
			await expect(page.locator('.facts .status')).toHaveText('已交办');
			await synced(page);

			// The leader's phone has it assigned to them, then loses the network and resolves it.
			await leader.page.goto(`/cases/${caseId}`);
			await expect(leader.page.locator('.facts .status')).toHaveText('已交办', { timeout: 30_000 });
			await expect(leader.page.locator('.facts')).toContainText('（我）');
			await leader.context.setOffline(true);
			await expect(leader.page.locator('.status .net')).toHaveText('离线');
			await move(leader.page, '开始处理', '确认：开始处理');
			await leader.page.locator('.moves').getByRole('button', { name: '标为已解决', exact: true }).click();
			await leader.page.getByLabel('处理结果').fill('楼道杂物已清走');
			// With a photo of the cleared stairwell, posted with the resolution.
			await leader.page.locator('#move-form input[name=gallery]').setInputFiles({
				name: 'done.jpg',
				mimeType: 'image/jpeg',
				buffer: await makeJpeg(leader.page, { width: 1200, height: 900 })
			});
			await expect(leader.page.locator('#move-form .thumbs img')).toHaveCount(1, { timeout: 15_000 });
			await leader.page.getByRole('button', { name: '确认：标为已解决' }).click();
			await expect(leader.page.locator('.facts .status')).toHaveText('已解决');
			await expect(leader.page.locator('p.pending')).toBeVisible();
			await expect(leader.page.locator('.timeline > li[data-kind=comment] img[data-sha256]')).toBeVisible();
			expect((await serverRecords(page.request, 'case')).get(caseId)).toMatchObject({ status: 'assigned' });
			await backOnline(leader.page, () =>
				expect(leader.page.locator('p.pending')).toHaveCount(0, { timeout: 10_000 })
			);
			await synced(leader.page);

			// The coordinator closes it with the resident's 5 of 5.
			await page.goto(`/review/cases/${caseId}`);
			await expect(page.locator('.facts .status')).toHaveText('已解决', { timeout: 30_000 });
			await expect(page.locator('.facts')).toContainText('楼道杂物已清走');
			await expect(page.locator('.timeline > li[data-kind=comment] img[data-sha256]')).toBeVisible();
			await page.locator('.moves').getByRole('button', { name: '办结', exact: true }).click();
			await page.locator('#move-form label.score', { hasText: '5' }).click();
			await page.getByRole('button', { name: '确认：办结' }).click();
			await expect(page.locator('.facts .status')).toHaveText('已办结');
			await synced(page);
			const stored = (
				await serverRecords<{ status: string; satisfaction: number; dueAt: string }>(page.request, 'case')
			).get(caseId);
			expect(stored).toMatchObject({ status: 'closed', satisfaction: 5 });
			expect(districtMonth(new Date(stored?.dueAt ?? ''))).toBe(dueMonth);

			// One more satisfied answer this month; one more case due, resolved on time, in the due month.
			const after = await assessmentRow(page.request, thisMonth, building.compoundId);
			expect([after.answers, after.satisfied]).toEqual([before.answers + 1, before.satisfied + 1]);
			expect(after.satisfactionRate).toBeCloseTo((before.satisfied + 1) / (before.answers + 1), 10);
			const dueAfter =
				dueMonth === thisMonth ? after : await assessmentRow(page.request, dueMonth, building.compoundId);
			expect([dueAfter.casesDue, dueAfter.resolvedOnTime]).toEqual([
				dueBefore.casesDue + 1,
				dueBefore.resolvedOnTime + 1
			]);
			expect(dueAfter.onTimeRate).toBeCloseTo((dueBefore.resolvedOnTime + 1) / (dueBefore.casesDue + 1), 10);

			// The assessment page shows the same figures for the month.
			await page.goto('/review/assessment');
			await page.locator('input[name=month]').fill(thisMonth);
			const line = page.locator('table.ranking tbody tr').filter({ hasText: after.compoundName });
			await expect(line).toContainText(`${after.satisfied}/${after.answers}`);
			expect(leader.errors).toEqual([]);
			await leader.context.close();
		}
	);
});

test.describe('in English', () => {
	test.use({ locale: 'en-GB' });
	test.setTimeout(120_000);

	test(
		'a coordinator assigns three cases to one grid leader and team at once, then reassigns one of them',
		{ tag: '@laptop' },
		async ({ page }) => {
			const me = await signedInAndSynced(page, 'coordinator');
			const grids = await deviceRows<{ id: string; leaderUserId: string | null }>(page, 'grid');
			const led = new Map(grids.filter((g) => g.leaderUserId).map((g) => [g.id, g.leaderUserId as string]));
			const building = (await buildingsInScope(page, me)).find((b) => led.has(b.gridId));
			expect(building).toBeDefined();
			if (!building) return;
			const leaderId = led.get(building.gridId) as string;
			const ids = [];
			for (let i = 0; i < 3; i++) ids.push(await openCase(page.request, me, building, 'en'));

			await page.goto('/review');
			await page.getByRole('link', { name: /Case desk/ }).click();
			await page.locator('select[name=gridId]').selectOption(building.gridId);
			await page.locator('select[name=status]').selectOption('reported');
			await page.getByRole('searchbox').fill(building.name);
			for (const id of ids) {
				const row = page.locator(`[data-case="${id}"]`);
				await expect(row).toBeVisible({ timeout: 30_000 });
				await row.getByRole('checkbox').check();
			}
			const bulk = page.getByRole('form', { name: 'Assign the selected cases' });
			await expect(bulk).toContainText('3 selected');
			const { violations } = await new AxeBuilder({ page }).analyze();
			expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
			await bulk.getByRole('button', { name: 'Assign 3' }).click();
			await expect(bulk.getByRole('alert')).toHaveText('Choose who works on it.');
			await bulk.locator('select[name=bulkAssignee]').selectOption(leaderId);
			const team = bulk.locator('select[name=bulkTeam] option').nth(1);
			const teamId = await team.getAttribute('value');
			await bulk.locator('select[name=bulkTeam]').selectOption(teamId ?? '');
			await bulk.getByRole('button', { name: 'Assign 3' }).click();
			await expect(bulk.getByRole('status')).toContainText('3 assigned to');

			// They are no longer "reported": with the filter cleared they show assigned, to the leader.
			await page.locator('select[name=status]').selectOption({ index: 0 });
			const leaderName = (await deviceRows<{ id: string; displayName: string }>(page, 'user')).find(
				(u) => u.id === leaderId
			)?.displayName as string;
			for (const id of ids) {
				await expect(page.locator(`[data-case="${id}"] .status`)).toHaveText('Assigned');
				await expect(page.locator(`[data-case="${id}"] .assignee`)).toHaveText(leaderName);
			}

			// One goes to the coordinator instead, from its page.
			await page.locator(`[data-case="${ids[0]}"]`).getByRole('link').click();
			await page.locator('.moves').getByRole('button', { name: 'Reassign', exact: true }).click();
			await page.locator('select[name=assigneeId]').selectOption(me.id);
			await page.getByRole('button', { name: 'Confirm: Reassign' }).click();
			await expect(page.locator('.facts')).toContainText('(me)');
			await expect(page.locator('.facts .status')).toHaveText('Assigned');
			await synced(page);

			const server = await serverRecords<{ status: string; assigneeId: string; teamId: string }>(
				page.request,
				'case'
			);
			expect(ids.map((id) => server.get(id))).toEqual([
				expect.objectContaining({ status: 'assigned', assigneeId: me.id, teamId }),
				expect.objectContaining({ status: 'assigned', assigneeId: leaderId, teamId }),
				expect.objectContaining({ status: 'assigned', assigneeId: leaderId, teamId })
			]);
			await expect(page.locator('.timeline')).toContainText('Reported → Triaged');
		}
	);
});

test(
	'the case desk, its bulk assignment and a case at 360×640 and 1366×800, in Chinese and English (test-results/review-cases/)',
	screenshots,
	async ({ browser }) => {
		test.setTimeout(300_000);
		const sizes = [
			{ name: 'phone', viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true },
			{ name: 'laptop', viewport: { width: 1366, height: 800 }, deviceScaleFactor: 1, isMobile: false }
		];
		for (const { name, ...options } of sizes) {
			for (const locale of ['zh-CN', 'en-GB']) {
				const shot = (what: string) => `test-results/review-cases/${name}-${locale}-${what}.png`;
				const desk = await secondDevice(browser, 'coordinator', locale, options);
				// The one-time "ready to work offline" notice would cover the bottom of every picture.
				await desk.page.evaluate(() => localStorage.setItem('gridwalk:offline-ready-notice', 'done'));
				await desk.page.goto('/');
				await desk.page.getByRole('link', { name: /案件交办|Case desk/ }).scrollIntoViewIfNeeded();
				await desk.page.screenshot({ path: shot('0-home') });
				await desk.page.goto('/review');
				await desk.page.screenshot({ path: shot('0-review') });
				await desk.page.goto('/review/cases');
				const rows = desk.page.locator('[data-case]');
				await expect(rows.nth(5)).toBeVisible({ timeout: 30_000 });
				await desk.page.screenshot({ path: shot('1-list') });
				for (const row of (await rows.all()).slice(0, 8)) {
					const box = row.getByRole('checkbox');
					if (await box.isEnabled()) await box.check();
				}
				await desk.page.locator('select[name=bulkAssignee]').selectOption({ index: 1 });
				await desk.page.screenshot({ path: shot('2-bulk') });
				await desk.page.locator('select[name=bulkAssignee]').selectOption({ index: 0 });
				await desk.page.getByRole('button', { name: /^(交办|Assign) / }).click();
				await desk.page.screenshot({ path: shot('3-bulk-error') });
				await desk.page.locator('select[name=status]').selectOption('assigned');
				await rows.first().getByRole('link').click();
				await expect(desk.page.locator('.facts .status')).toBeVisible();
				await desk.page.screenshot({ path: shot('4-case'), fullPage: true });
				const reassign = desk.page.locator('.moves [data-move=reassign]');
				if (await reassign.count()) {
					await reassign.click();
					await desk.page.locator('#move-form').scrollIntoViewIfNeeded();
					await desk.page.screenshot({ path: shot('5-reassign') });
				}
				expect(await desk.page.locator('body').innerText()).not.toMatch(/\b(reviewCases|cases)\.[a-z_.]+/);
				expect(desk.errors).toEqual([]);
				await desk.context.close();
			}
		}
	}
);
