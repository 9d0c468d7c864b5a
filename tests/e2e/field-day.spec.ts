import { expect, test } from './fixtures';
import {
	buildingInScope,
	buildingPicked,
	deviceRows,
	signedInAndSynced,
	standBy,
	statusLine,
	workerInControl
} from './device';
import { takePhoto } from './photos';
import { adminSeesPhoto, serverRecords } from './server';

// A grid leader's day with no network, at phone size (issue 5, item 12): one of each record — a patrol
// whose failed item spawns an observation, an observation with a photo, a resident's feedback, a home
// visit — then a reload, everything still there; back online, all of it synced and on the server with
// its photos. Once in Chinese, once in English.

// Before uploading a photo the sync asks the blob store whether it has it (HEAD): a new photo answers 404.
test.use({ expectedHttpErrors: [404], expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

const words = {
	'zh-CN': {
		offline: '离线',
		patrolHome: '开始巡查',
		template: '夜间停车巡查',
		start: '开始巡查',
		no: '否',
		none: '无',
		more: '加一',
		next: '下一项',
		record: '上报这个问题',
		recorded: '已上报这个问题',
		fireLane: '消防通道被占用',
		save: '保存',
		photo1: '第 1 张照片',
		review: '检查并完成',
		finish: '完成巡查',
		submitted: '巡查已提交，保存在本机，联网后会自动同步。',
		sanitation: '环境卫生',
		bin: '垃圾桶满溢',
		saved: /已保存/,
		complaint: '投诉',
		parking: '停车',
		inPerson: '当面',
		feedbackText: '反馈内容',
		feedbackSays: '地库入口总有车乱停',
		routine: '日常走访',
		summary: '走访情况',
		visitSays: '了解加装电梯意见',
		met: '见到的居民人数',
		pending: '已保存在本机',
		synced: '已同步'
	},
	'en-GB': {
		offline: 'Offline',
		patrolHome: 'Start a patrol',
		template: 'Evening parking patrol',
		start: 'Start patrol',
		no: 'No',
		none: 'None',
		more: 'One more',
		next: 'Next',
		record: 'Record this problem',
		recorded: 'Problem recorded',
		fireLane: 'Fire lane blocked',
		save: 'Save',
		photo1: 'Photo 1',
		review: 'Review and finish',
		finish: 'Finish patrol',
		submitted: 'Patrol submitted: saved on this device; it syncs by itself when there is a network.',
		sanitation: 'Sanitation',
		bin: 'Overflowing bin',
		saved: /Saved/,
		complaint: 'Complaint',
		parking: 'Parking',
		inPerson: 'In person',
		feedbackText: 'What the resident said',
		feedbackSays: 'Cars always block the garage entrance',
		routine: 'Routine',
		summary: 'What happened',
		visitSays: 'Asked about adding a lift',
		met: 'Residents met',
		pending: 'Saved on this device',
		synced: 'Synced'
	}
};

interface Authored {
	id: string;
	by: string;
	photos?: { sha256: string }[];
	patrolId?: string | null;
	observedAt?: string;
	startedAt?: string;
	status?: string;
	answers?: { key: string; value: unknown }[];
	text?: string;
	summary?: string;
	receivedAt?: string;
	visitedAt?: string;
}

// One after the other: a patrol the leader leaves in progress on one device is offered to them on the next.
test.describe('field day', { tag: '@phone' }, () => {
	test.describe.configure({ mode: 'serial' });
	test.setTimeout(180_000);

	for (const locale of ['zh-CN', 'en-GB'] as const) {
		test.describe(locale, () => {
			test.use({ locale });

			test(`offline: a patrol with its spawned observation, an observation with a photo, feedback and a visit survive a reload and all sync (${locale})`, async ({
				page,
				context,
				request
			}) => {
				const w = words[locale];
				const me = await signedInAndSynced(page, 'leader');
				const building = await buildingInScope(page);
				await standBy(context, building);
				const compound = (await deviceRows<{ id: string; name: string }>(page, 'compound')).find(
					(c) => c.id === building.compoundId
				)!;
				const since = new Date().toISOString();
				await workerInControl(page);
				await context.setOffline(true);
				await expect(page.locator('.status .net')).toHaveText(w.offline);

				// A patrol: the fire lane fails, its problem is recorded (prefilled) with a photo; the rest passes.
				await page.getByRole('link', { name: new RegExp(w.patrolHome) }).click();
				await page.getByRole('radio', { name: new RegExp(w.template) }).check();
				await page.getByRole('searchbox').fill(compound.name);
				await page.locator(`input[name=compound][value="${compound.id}"]`).check();
				await page.getByRole('button', { name: w.start, exact: true }).click();
				await page.getByRole('radio', { name: w.no, exact: true }).check();
				await page.getByRole('link', { name: w.record }).click();
				await expect(page.getByRole('heading', { name: w.fireLane })).toBeVisible();
				await buildingPicked(page, building);
				await takePhoto(page, 'lane.jpg');
				await expect(page.getByRole('img', { name: w.photo1 })).toBeVisible({ timeout: 20_000 });
				await page.getByRole('button', { name: w.save, exact: true }).click();
				await expect(page.getByText(w.recorded)).toBeVisible();
				await page.getByRole('button', { name: w.next }).click();
				await page.getByRole('button', { name: w.more }).click(); // one e-bike outside the bays
				await page.getByRole('button', { name: w.next }).click();
				await page.getByRole('radio', { name: w.no, exact: true }).check(); // no indoor charging
				await page.getByRole('button', { name: w.next }).click();
				await page.getByRole('radio', { name: w.none, exact: true }).check(); // no cars on the green
				await page.getByRole('button', { name: w.next }).click();
				await page.getByRole('button', { name: w.next }).click();
				await page.getByRole('button', { name: w.review }).click();
				await page.getByRole('button', { name: w.finish }).click();
				await expect(page.getByText(w.submitted)).toBeVisible();

				// An observation of its own, with a photo.
				await page.goto('/observe');
				await page.getByRole('button', { name: w.sanitation }).click();
				await page.getByRole('button', { name: w.bin }).click();
				await takePhoto(page, 'bin.jpg');
				await expect(page.getByRole('img', { name: w.photo1 })).toBeVisible({ timeout: 20_000 });
				await buildingPicked(page, building);
				await page.getByRole('button', { name: w.save, exact: true }).click();
				await expect(page.getByRole('status').filter({ hasText: w.saved })).toBeVisible();

				// A resident's complaint.
				await page.goto('/feedback');
				await buildingPicked(page, building);
				await page.getByRole('radio', { name: w.complaint }).check();
				await page.getByRole('radio', { name: w.parking }).check();
				await page.getByRole('radio', { name: w.inPerson }).check();
				await page.getByLabel(w.feedbackText).fill(w.feedbackSays);
				await page.getByRole('button', { name: w.save, exact: true }).click();
				await expect(page.getByRole('status').filter({ hasText: w.saved })).toBeVisible();

				// A home visit.
				await page.goto('/visit');
				await buildingPicked(page, building);
				await page.getByRole('radio', { name: w.routine }).check();
				await page.getByLabel(w.summary).fill(w.visitSays);
				await page.getByLabel(w.met).fill('2');
				await page.getByRole('button', { name: w.save, exact: true }).click();
				await expect(page.getByRole('status').filter({ hasText: w.saved })).toBeVisible();

				// Reloaded with no network: every one of them is still on the device, waiting to sync.
				await page.goto('/mine');
				await page.reload();
				const mine = async (store: string) =>
					(await deviceRows<Authored>(page, store)).filter((r) => r.by === me.id);
				const patrol = (await mine('patrol')).find((p) => p.status === 'submitted' && p.startedAt! >= since)!;
				const observations = await mine('observation');
				const spawned = observations.find((o) => o.patrolId === patrol.id)!;
				const own = observations.find((o) => !o.patrolId && o.observedAt! >= since)!;
				const feedback = (await mine('feedback')).find(
					(f) => f.text === w.feedbackSays && f.receivedAt! >= since
				)!;
				const visit = (await mine('visit')).find((v) => v.summary === w.visitSays && v.visitedAt! >= since)!;
				for (const record of [patrol, spawned, own, feedback, visit]) {
					await expect(page.locator(`a.record[href$="/${record.id}"]`)).toContainText(w.pending);
				}
				expect(spawned.photos).toHaveLength(1);
				expect(own.photos).toHaveLength(1);

				// Online: all of it synced, once, with the photos on the server.
				await context.setOffline(false);
				for (const record of [patrol, spawned, own, feedback, visit]) {
					await expect(page.locator(`a.record[href$="/${record.id}"]`)).toContainText(w.synced, {
						timeout: 30_000
					});
				}
				await expect(statusLine(page)).toContainText(w.synced);
				const [patrols, serverObservations, feedbacks, visits] = await Promise.all(
					['patrol', 'observation', 'feedback', 'visit'].map((c) => serverRecords<Authored>(page.request, c))
				);
				expect(patrols.get(patrol.id)).toMatchObject({ status: 'submitted', answers: patrol.answers });
				expect(serverObservations.get(spawned.id)).toMatchObject({
					patrolId: patrol.id,
					photos: spawned.photos
				});
				expect(serverObservations.get(own.id)).toMatchObject({ photos: own.photos });
				expect(feedbacks.get(feedback.id)).toMatchObject({ text: w.feedbackSays });
				expect(visits.get(visit.id)).toMatchObject({ summary: w.visitSays });
				for (const sha256 of [spawned.photos![0].sha256, own.photos![0].sha256]) {
					expect(await adminSeesPhoto(request, sha256)).toBe(200);
				}
			});
		});
	}
});
