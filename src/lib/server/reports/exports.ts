import { sql, type SQL } from 'drizzle-orm';
import type { ExportCollection, ReviewFilters } from '$lib/domain';
import type { MessageKey } from '$lib/i18n';
import { dayEnd, dayStart, isoText, placeWhere, rows, type ReportContext } from './where';

/**
 * The records behind the dashboard, for download: the same scope and filters, read page by page in
 * time order so that a large export never sits whole in memory. Residents' names, phones and units
 * come only with `personal` (the endpoint checks the right to see them and writes the audit row).
 */
export interface ExportColumn {
	key: string;
	label: MessageKey;
	/** A timestamp (ISO text here): written as local time in CSV and XLSX. */
	time?: boolean;
}

export interface ExportRow {
	values: Record<string, unknown>;
	/** Where the record is on the map, for GeoJSON; null when it has no place of its own. */
	point: { lat: number; lng: number } | null;
}

interface Source {
	/** `FROM …` with the record's alias `r` and its joins. */
	from: SQL;
	time: string;
	select: SQL;
	/** The point: lat, lng as numbers (SQL expressions). */
	lat: string;
	lng: string;
	columns: ExportColumn[];
	personal?: { select: SQL; columns: ExportColumn[] };
	/** Visits are tied to grids; every other record filters by grid too. */
	grid?: boolean;
}

const col = (key: string, label: MessageKey, time = false): ExportColumn => ({ key, label, time });
const place = [
	col('community', 'review.col.community'),
	col('compound', 'review.col.compound'),
	col('grid', 'review.col.grid')
];
const placeSelect = sql`m.name AS community, c.name AS compound, g.name AS grid`;
const placeJoins = sql`JOIN communities m ON m.id = r.community_id JOIN compounds c ON c.id = r.compound_id
	LEFT JOIN grids g ON g.id = r.grid_id`;
const who = sql`u.display_name AS by`;
const whoJoin = sql`LEFT JOIN users u ON u.id = r.by`;

const sources: Record<ExportCollection, Source> = {
	observations: {
		from: sql`observations r ${placeJoins} LEFT JOIN buildings bl ON bl.id = r.building_id ${whoJoin}`,
		time: 'observed_at',
		select: sql`r.id, ${isoText(sql`r.observed_at`)} AS "observedAt", r.category, r.subtype, r.severity,
			${placeSelect}, bl.name AS building, r.note, r.resolved_on_spot AS "resolvedOnSpot",
			(r.location->>'lat')::float8 AS lat, (r.location->>'lng')::float8 AS lng,
			(r.location->>'accuracy')::float8 AS accuracy, r.patrol_id AS "patrolId", ${who}`,
		lat: `(r.location->>'lat')::float8`,
		lng: `(r.location->>'lng')::float8`,
		columns: [
			col('id', 'review.col.id'),
			col('observedAt', 'review.col.observedAt', true),
			col('category', 'review.col.category'),
			col('subtype', 'review.col.subtype'),
			col('severity', 'review.col.severity'),
			...place,
			col('building', 'review.col.building'),
			col('note', 'review.col.note'),
			col('resolvedOnSpot', 'review.col.resolvedOnSpot'),
			col('lat', 'review.col.lat'),
			col('lng', 'review.col.lng'),
			col('accuracy', 'review.col.accuracy'),
			col('patrolId', 'review.col.patrolId'),
			col('by', 'review.col.by')
		]
	},
	cases: {
		from: sql`cases r ${placeJoins} LEFT JOIN users a ON a.id = r.assignee_id`,
		time: 'created_at',
		select: sql`r.id, ${isoText(sql`r.created_at`)} AS "createdAt", r.title, r.category, r.priority, r.status,
			${placeSelect}, a.display_name AS assignee, ${isoText(sql`r.due_at`)} AS "dueAt",
			${isoText(sql`r.resolved_at`)} AS "resolvedAt", r.resolution, r.satisfaction,
			r.source->>'type' AS "sourceType", r.source->>'id' AS "sourceId", ${isoText(sql`r.updated_at`)} AS "updatedAt"`,
		lat: `(c.centroid->>'lat')::float8`,
		lng: `(c.centroid->>'lng')::float8`,
		columns: [
			col('id', 'review.col.id'),
			col('createdAt', 'review.col.createdAt', true),
			col('title', 'review.col.title'),
			col('category', 'review.col.category'),
			col('priority', 'review.col.priority'),
			col('status', 'review.col.status'),
			...place,
			col('assignee', 'review.col.assignee'),
			col('dueAt', 'review.col.dueAt', true),
			col('resolvedAt', 'review.col.resolvedAt', true),
			col('resolution', 'review.col.resolution'),
			col('satisfaction', 'review.col.satisfaction'),
			col('sourceType', 'review.col.sourceType'),
			col('sourceId', 'review.col.sourceId'),
			col('updatedAt', 'review.col.updatedAt', true)
		]
	},
	feedback: {
		from: sql`feedback r ${placeJoins} LEFT JOIN buildings bl ON bl.id = r.building_id ${whoJoin}`,
		time: 'received_at',
		select: sql`r.id, ${isoText(sql`r.received_at`)} AS "receivedAt", r.kind, r.topic, r.channel, r.text,
			${placeSelect}, bl.name AS building, r.consent_to_contact AS "consentToContact", ${who}`,
		lat: `coalesce((bl.point->>'lat')::float8, (c.centroid->>'lat')::float8)`,
		lng: `coalesce((bl.point->>'lng')::float8, (c.centroid->>'lng')::float8)`,
		columns: [
			col('id', 'review.col.id'),
			col('receivedAt', 'review.col.receivedAt', true),
			col('kind', 'review.col.kind'),
			col('topic', 'review.col.topic'),
			col('channel', 'review.col.channel'),
			col('text', 'review.col.text'),
			...place,
			col('building', 'review.col.building'),
			col('consentToContact', 'review.col.consentToContact'),
			col('by', 'review.col.by')
		],
		personal: {
			select: sql`r.resident->>'name' AS "residentName", r.resident->>'phone' AS "residentPhone",
				r.resident->>'unit' AS "residentUnit"`,
			columns: [
				col('residentName', 'review.col.residentName'),
				col('residentPhone', 'review.col.residentPhone'),
				col('residentUnit', 'review.col.residentUnit')
			]
		}
	},
	visits: {
		from: sql`visits r ${placeJoins} LEFT JOIN buildings bl ON bl.id = r.building_id ${whoJoin}`,
		time: 'visited_at',
		select: sql`r.id, ${isoText(sql`r.visited_at`)} AS "visitedAt", r.purpose, r.summary,
			r.residents_met AS "residentsMet", r.needs_follow_up AS "needsFollowUp", ${placeSelect},
			bl.name AS building, r.unit, ${who}`,
		lat: `coalesce((r.location->>'lat')::float8, (bl.point->>'lat')::float8)`,
		lng: `coalesce((r.location->>'lng')::float8, (bl.point->>'lng')::float8)`,
		columns: [
			col('id', 'review.col.id'),
			col('visitedAt', 'review.col.visitedAt', true),
			col('purpose', 'review.col.purpose'),
			col('summary', 'review.col.summary'),
			col('residentsMet', 'review.col.residentsMet'),
			col('needsFollowUp', 'review.col.needsFollowUp'),
			...place,
			col('building', 'review.col.building'),
			col('unit', 'review.col.unit'),
			col('by', 'review.col.by')
		]
	},
	patrols: {
		from: sql`patrols r ${placeJoins} LEFT JOIN teams tm ON tm.id = r.team_id ${whoJoin}`,
		time: 'started_at',
		select: sql`r.id, ${isoText(sql`r.started_at`)} AS "startedAt", ${isoText(sql`r.finished_at`)} AS "finishedAt",
			r.status, r.template_id AS "templateId", r.template_version AS "templateVersion", ${placeSelect},
			tm.name AS team, jsonb_array_length(r.answers) AS answers, ${who}`,
		lat: `(c.centroid->>'lat')::float8`,
		lng: `(c.centroid->>'lng')::float8`,
		columns: [
			col('id', 'review.col.id'),
			col('startedAt', 'review.col.startedAt', true),
			col('finishedAt', 'review.col.finishedAt', true),
			col('status', 'review.col.status'),
			col('templateId', 'review.col.templateId'),
			col('templateVersion', 'review.col.templateVersion'),
			...place,
			col('team', 'review.col.team'),
			col('answers', 'review.col.answers'),
			col('by', 'review.col.by')
		]
	}
};

export function exportColumns(collection: ExportCollection, personal: boolean): ExportColumn[] {
	const source = sources[collection];
	return personal && source.personal ? [...source.columns, ...source.personal.columns] : source.columns;
}

/** Whether the collection holds anything personal that `includePersonal` would add. */
export const hasPersonal = (collection: ExportCollection) => Boolean(sources[collection].personal);

const pageSize = 5000;

/** The records of `collection`, page by page, oldest first. */
export async function* exportRows(
	ctx: ReportContext,
	collection: ExportCollection,
	filters: ReviewFilters,
	personal: boolean
): AsyncGenerator<ExportRow[]> {
	const source = sources[collection];
	const time = sql.raw(`r.${source.time}`);
	const where: SQL[] = [placeWhere('r', ctx.scope, filters)];
	if (filters.from) where.push(sql`${time} >= ${dayStart(filters.from, ctx.timeZone)}`);
	if (filters.to) where.push(sql`${time} < ${dayEnd(filters.to, ctx.timeZone)}`);
	const select =
		personal && source.personal ? sql`${source.select}, ${source.personal.select}` : source.select;
	let after: { at: string; id: string } | null = null;
	for (;;) {
		const page: { _at: string; _lat: number | null; _lng: number | null }[] = await rows(
			ctx.db,
			sql`SELECT ${select}, to_char(${time} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS _at,
					${sql.raw(source.lat)} AS _lat, ${sql.raw(source.lng)} AS _lng
				FROM ${source.from}
				WHERE ${sql.join(where, sql` AND `)}
					${after ? sql`AND (${time}, r.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
				ORDER BY ${time}, r.id
				LIMIT ${pageSize}`
		);
		if (page.length === 0) return;
		yield page.map(({ _at, _lat, _lng, ...values }) => ({
			values,
			point: _lat === null || _lng === null ? null : { lat: Number(_lat), lng: Number(_lng) }
		}));
		if (page.length < pageSize) return;
		const last = page[page.length - 1] as unknown as { _at: string; id: string };
		after = { at: last._at, id: last.id };
	}
}
