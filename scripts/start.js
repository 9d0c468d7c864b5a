// `npm start`: build the app when the build is missing or older than its sources, then serve it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'build', 'index.js');
const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json', 'package-lock.json'];

function newest(target) {
	if (!existsSync(target)) return 0;
	const stat = statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...readdirSync(target).map((name) => newest(path.join(target, name))));
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
if (builtAt < Math.max(...sources.map((s) => newest(path.join(root, s))))) {
	console.log('gridwalk: building the app (first start or changed sources)…');
	const result = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ??= '3000';
// Photos up to MAX_PHOTO_BYTES (10 MB) and sync batches must get through adapter-node's body limit.
process.env.BODY_SIZE_LIMIT ??= '12M';
process.chdir(root);
console.log(`gridwalk: serving on http://${process.env.HOST ?? 'localhost'}:${process.env.PORT}`);
await import(built);
