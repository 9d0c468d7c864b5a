import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { ExportFormat } from '$lib/domain';
import type { ExportColumn, ExportRow } from './exports';

/**
 * Export files written as they are read: CSV (UTF-8 with a byte-order mark, so that Excel reads
 * Chinese right), XLSX (exceljs' streaming writer) and a GeoJSON FeatureCollection (RFC 7946).
 * CSV and XLSX show times in the district's local time; GeoJSON keeps ISO 8601 in UTC.
 */
export interface ExportFile {
	format: ExportFormat;
	columns: ExportColumn[];
	/** Column headers in the person's language. */
	headers: string[];
	pages: AsyncIterable<ExportRow[]>;
	timeZone: string;
	sheetName: string;
}

export const contentTypes: Record<ExportFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	geojson: 'application/geo+json'
};

function localTime(timeZone: string) {
	const format = new Intl.DateTimeFormat('sv-SE', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hour12: false
	});
	return (iso: string) => format.format(new Date(iso));
}

/** A row's cells as a spreadsheet shows them: local times, booleans and empty cells as such. */
function cells(file: ExportFile) {
	const local = localTime(file.timeZone);
	return (row: ExportRow) =>
		file.columns.map(({ key, time }) => {
			const value = row.values[key];
			if (value === null || value === undefined) return null;
			if (time && typeof value === 'string') return local(value);
			return value;
		});
}

export function writeExport(file: ExportFile): ReadableStream<Uint8Array> {
	switch (file.format) {
		case 'csv':
			return fromText(csvText(file));
		case 'geojson':
			return fromText(geojsonText(file));
		case 'xlsx':
			return xlsx(file);
	}
}

function fromText(text: AsyncIterable<string>): ReadableStream<Uint8Array> {
	return Readable.toWeb(Readable.from(text, { objectMode: false })) as ReadableStream<Uint8Array>;
}

async function* csvText(file: ExportFile): AsyncGenerator<string> {
	const toCells = cells(file);
	yield '\uFEFF' + stringify([file.headers], { record_delimiter: 'windows' });
	for await (const page of file.pages) {
		yield stringify(
			page.map((row) => toCells(row).map((value) => (typeof value === 'boolean' ? String(value) : value))),
			{ record_delimiter: 'windows' }
		);
	}
}

async function* geojsonText(file: ExportFile): AsyncGenerator<string> {
	yield '{"type":"FeatureCollection","features":[';
	let first = true;
	for await (const page of file.pages) {
		const features = page.map((row) =>
			JSON.stringify({
				type: 'Feature',
				id: row.values.id,
				geometry: row.point ? { type: 'Point', coordinates: [row.point.lng, row.point.lat] } : null,
				properties: Object.fromEntries(file.columns.map(({ key }) => [key, row.values[key] ?? null]))
			})
		);
		if (features.length === 0) continue;
		yield (first ? '' : ',') + features.join(',');
		first = false;
	}
	yield ']}';
}

function xlsx(file: ExportFile): ReadableStream<Uint8Array> {
	const out = new PassThrough();
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
	const sheet = workbook.addWorksheet(file.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = file.columns.map((column, i) => ({
		header: file.headers[i],
		key: column.key,
		width: column.time ? 20 : 16
	}));
	sheet.getRow(1).font = { bold: true };
	const toCells = cells(file);
	void (async () => {
		try {
			for await (const page of file.pages) for (const row of page) sheet.addRow(toCells(row)).commit();
			sheet.commit();
			await workbook.commit();
		} catch (error) {
			out.destroy(error as Error);
		}
	})();
	return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
