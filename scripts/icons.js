// Draws the app's icons as SVG and renders them to the PNGs the web app manifest and iOS need, in Chromium:
//   node scripts/icons.js        (writes static/icons/*.png; commit them)
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';

const out = 'static/icons';
const brand = '#0f766e';
const accent = '#f59e0b';

/** The mark on a 48-unit square: the favicon's street grid and a walker's position on it. */
const mark = `
	<path d="M10 16h28M10 24h28M10 32h28M18 10v28M30 10v28" stroke="#fff" stroke-width="3" stroke-linecap="round"/>
	<circle cx="30" cy="24" r="5.5" fill="${accent}" stroke="#fff" stroke-width="2.5"/>`;

/** Square icon, `scale` of the mark inside it; `rounded` for the plain icon, full bleed for maskable/iOS. */
function appIcon({ rounded, scale }) {
	const offset = (48 - 48 * scale) / 2;
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">
		<rect width="48" height="48" rx="${rounded ? 10 : 0}" fill="${brand}"/>
		<g transform="translate(${offset} ${offset}) scale(${scale})">${mark}</g>
	</svg>`;
}

/** Shortcut icons: a symbol on the brand colour, drawn on 48 units. */
const shortcuts = {
	// A camera with a plus: record a new problem.
	observe: `
		<rect x="8" y="15" width="32" height="22" rx="4" fill="#fff"/>
		<path d="M18 15l3-4h6l3 4z" fill="#fff"/>
		<path d="M24 21v10M19 26h10" stroke="${brand}" stroke-width="3" stroke-linecap="round"/>`,
	// A route between two stops: walk the patrol.
	patrol: `
		<path d="M14 36c0-8 20-4 20-12s-12-6-12-12" fill="none" stroke="#fff" stroke-width="3"
			stroke-linecap="round" stroke-dasharray="1 5"/>
		<circle cx="14" cy="36" r="4" fill="#fff"/>
		<path d="M22 5c-4 0-7 3-7 7 0 5 7 12 7 12s7-7 7-12c0-4-3-7-7-7z" fill="${accent}" stroke="#fff" stroke-width="2"/>
		<circle cx="22" cy="12" r="2.5" fill="#fff"/>`
};

const shortcutIcon = (symbol) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">
	<rect width="48" height="48" rx="10" fill="${brand}"/>${symbol}</svg>`;

const icons = [
	{ file: 'icon-192.png', size: 192, svg: appIcon({ rounded: true, scale: 1 }) },
	{ file: 'icon-512.png', size: 512, svg: appIcon({ rounded: true, scale: 1 }) },
	// Maskable: the launcher may crop to a circle of 80% of the side; the mark's corners stay inside it.
	{ file: 'maskable-512.png', size: 512, svg: appIcon({ rounded: false, scale: 0.9 }) },
	// iOS rounds the corners itself and shows no transparency.
	{ file: 'apple-touch-icon-180.png', size: 180, svg: appIcon({ rounded: false, scale: 0.9 }) },
	{ file: 'shortcut-observe-96.png', size: 96, svg: shortcutIcon(shortcuts.observe) },
	{ file: 'shortcut-patrol-96.png', size: 96, svg: shortcutIcon(shortcuts.patrol) }
];

mkdirSync(out, { recursive: true });
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
for (const { file, size, svg } of icons) {
	const page = await browser.newPage({ viewport: { width: size, height: size } });
	await page.setContent(
		`<body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body>`
	);
	await page.screenshot({ path: `${out}/${file}`, omitBackground: true });
	await page.close();
}
await browser.close();
console.log(`icons in ${out}: ${icons.map((i) => i.file).join(', ')}`);
