import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { formatCount } from './support';

/** The targets (on PostgreSQL): at least this share of the raw rate and this multiple of PouchDB's. */
export interface Target {
	vsRaw: number;
	vsPouch: number;
}

/** One line of the table: rates per second, measured in the same run. */
export interface Row {
	measure: string;
	unit: string;
	gridwalk: number | null;
	raw: number | null;
	pouch: number | null;
	target: Target | null;
	/** Load averages at the end of the row's measurements (not printed in the table). */
	loads: number[];
}

const ratio = (a: number | null, b: number | null) => (a && b ? a / b : null);

export function ratios(row: Row) {
	const vsRaw = ratio(row.gridwalk, row.raw);
	const vsPouch = ratio(row.gridwalk, row.pouch);
	const met =
		row.target && vsRaw !== null && vsPouch !== null
			? { vsRaw: vsRaw >= row.target.vsRaw, vsPouch: vsPouch >= row.target.vsPouch }
			: null;
	return { vsRaw, vsPouch, met };
}

const rate = (value: number | null, unit: string) => (value === null ? '—' : `${formatCount(value)} ${unit}`);

function targetCell(row: Row): string {
	const { met } = ratios(row);
	if (!row.target) return 'printed only';
	if (!met) return 'not measured';
	const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
	return `≥ ${row.target.vsRaw * 100} % raw: ${yes(met.vsRaw)}; ≥ ${row.target.vsPouch}× PouchDB: ${yes(met.vsPouch)}`;
}

/** A Markdown table, padded so it also reads well in a terminal. */
export function renderTable(rows: Row[]): string {
	const header = ['measure', 'gridwalk', 'raw', 'PouchDB', 'vs raw', 'vs PouchDB', 'target'];
	const body = rows.map((row) => {
		const { vsRaw, vsPouch } = ratios(row);
		return [
			row.measure,
			rate(row.gridwalk, row.unit),
			rate(row.raw, row.unit),
			rate(row.pouch, row.unit),
			vsRaw === null ? '—' : `${Math.round(vsRaw * 100)} %`,
			vsPouch === null ? '—' : `${vsPouch.toFixed(2)}×`,
			targetCell(row)
		];
	});
	const widths = header.map((_, i) => Math.max(...[header, ...body].map((cells) => cells[i].length)));
	const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The same as JSON (formatted as the project's Prettier config would, so `npm run lint` stays quiet). */
export async function writeResults(file: string, results: object): Promise<void> {
	mkdirSync(path.dirname(file), { recursive: true });
	const options = (await resolveConfig(file)) ?? {};
	writeFileSync(file, await format(JSON.stringify(results), { ...options, filepath: file }));
}
