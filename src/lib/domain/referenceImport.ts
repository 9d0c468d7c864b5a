import { z } from 'zod';

/**
 * Reference data import (admins): compounds, grids or buildings from a CSV (lat/lng columns) or a
 * GeoJSON file, previewed row by row before anything is written. Shared by `/review/reference` and
 * `POST /api/reference/{preview,import}`.
 */
export const referenceKinds = ['compound', 'grid', 'building'] as const;
export type ReferenceKind = (typeof referenceKinds)[number];

export const referenceFormats = ['csv', 'geojson'] as const;
export type ReferenceFormat = (typeof referenceFormats)[number];

/** The datum the file's coordinates are in; they are stored WGS-84 whatever it is. */
export const referenceDatums = ['wgs84', 'gcj02', 'bd09'] as const;
export type ReferenceDatum = (typeof referenceDatums)[number];

/** Largest file the import takes (the request carries it as text). */
export const maxReferenceFileBytes = 8 * 1024 * 1024;

export const referenceImportRequest = z.object({
	kind: z.enum(referenceKinds),
	format: z.enum(referenceFormats),
	datum: z.enum(referenceDatums).default('wgs84'),
	fileName: z.string().max(200).default(''),
	content: z.string().min(1).max(maxReferenceFileBytes),
	/** Import writes nothing while rows are refused, unless the person chose to leave those rows out. */
	skipRefused: z.boolean().default(false)
});
export type ReferenceImportRequest = z.infer<typeof referenceImportRequest>;

export type ReferenceRowAction = 'create' | 'update' | 'unchanged' | 'refused';

export interface ReferenceRowError {
	field: string;
	code: string;
	message: string;
}

export interface ReferenceRowPlan {
	/** The CSV line (the header is line 1) or the GeoJSON feature's number (from 1). */
	row: number;
	code: string | null;
	name: string | null;
	action: ReferenceRowAction;
	/** For an update: the fields that change. */
	changed: string[];
	errors: ReferenceRowError[];
}

export interface ReferencePreview {
	kind: ReferenceKind;
	format: ReferenceFormat;
	counts: Record<ReferenceRowAction, number>;
	rows: ReferenceRowPlan[];
}

/** What the import answers: the plan it carried out. */
export interface ReferenceImportResult extends ReferencePreview {
	written: number;
}
