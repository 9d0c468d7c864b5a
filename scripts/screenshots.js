// Takes phone- and laptop-sized screenshots of the pages a person sees, for review and the README:
//   node scripts/screenshots.js http://127.0.0.1:3000 <demo password> [out dir]
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';

const [base = 'http://127.0.0.1:3000', password = process.env.DEMO_PASSWORD, out = 'test-results/screens'] =
	process.argv.slice(2);
mkdirSync(out, { recursive: true });
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
const browser = await chromium.launch({
	executablePath,
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
});
const sizes = { phone: { width: 360, height: 640 }, laptop: { width: 1366, height: 800 } };

for (const locale of ['zh-CN', 'en']) {
	for (const [size, viewport] of Object.entries(sizes)) {
		const page = await browser.newPage({ viewport, locale, deviceScaleFactor: size === 'phone' ? 2 : 1 });
		await page.goto(`${base}/login`);
		await page.screenshot({ path: `${out}/login-${size}-${locale}.png`, fullPage: true });
		for (const username of ['leader', 'coordinator']) {
			await page.context().clearCookies();
			await page.goto(`${base}/login`);
			await page.locator('input[name=username]').fill(username);
			await page.locator('input[name=password]').fill(password);
			await page.getByRole('button').last().click();
			await page.waitForURL(`${base}/`);
			await page.screenshot({ path: `${out}/home-${username}-${size}-${locale}.png`, fullPage: true });
		}
		await page.close();
	}
}
await browser.close();
console.log(`screenshots in ${out}`);
