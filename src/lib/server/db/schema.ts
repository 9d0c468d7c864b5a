import {
	bigint,
	bigserial,
	boolean,
	type ExtraConfigColumn,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type {
	CaseRecord,
	ChecklistItem,
	GpsFix,
	I18nText,
	LatLng,
	PatrolAnswer,
	PhotoRef,
	Polygon,
	Resident,
	Survey
} from '$lib/domain';

// Column names are snake_case in SQL (drizzle `casing: 'snake_case'`), camelCase here, as in the domain.

const at = () => timestamp({ withTimezone: true, mode: 'date' });
const atNotNull = () => at().notNull();

/** Every synced row carries the global version it was last written at, and a tombstone time. */
const synced = {
	syncVersion: bigint({ mode: 'number' }).notNull(),
	deletedAt: at()
};

/** Where a record sits, set by the server from reference data; pulls filter by it. */
const placed = {
	communityId: uuid().notNull(),
	compoundId: uuid().notNull(),
	gridId: uuid()
};

const ids = () => jsonb().$type<string[]>().notNull().default([]);
const photos = () => jsonb().$type<PhotoRef[]>().notNull().default([]);
/** Finds the records that show a photo (`@>` on its hash), to decide who may fetch its bytes. */
const photoIndex = (column: ExtraConfigColumn) => index().using('gin', column.op('jsonb_path_ops'));

// ---- reference data ----

export const communities = pgTable(
	'communities',
	{
		id: uuid().primaryKey(),
		name: text().notNull(),
		code: text().notNull().unique(),
		...synced
	},
	(t) => [index().on(t.syncVersion)]
);

export const compounds = pgTable(
	'compounds',
	{
		id: uuid().primaryKey(),
		communityId: uuid().notNull(),
		/** The district's own code, unique within the community: a re-import updates the compound by it. */
		code: text(),
		name: text().notNull(),
		address: text().notNull().default(''),
		households: integer().notNull().default(0),
		boundary: jsonb().$type<Polygon>(),
		centroid: jsonb().$type<LatLng>().notNull(),
		...synced
	},
	(t) => [index().on(t.communityId), index().on(t.syncVersion), uniqueIndex().on(t.communityId, t.code)]
);

export const grids = pgTable(
	'grids',
	{
		id: uuid().primaryKey(),
		communityId: uuid().notNull(),
		compoundIds: ids(),
		/** Unique within the community, as for compounds. */
		code: text(),
		name: text().notNull(),
		boundary: jsonb().$type<Polygon>().notNull(),
		leaderUserId: uuid(),
		...synced
	},
	(t) => [index().on(t.communityId), index().on(t.syncVersion), uniqueIndex().on(t.communityId, t.code)]
);

export const buildings = pgTable(
	'buildings',
	{
		id: uuid().primaryKey(),
		compoundId: uuid().notNull(),
		gridId: uuid().notNull(),
		/** Unique within the compound ("3" for 3号楼). */
		code: text(),
		name: text().notNull(),
		units: integer().notNull().default(0),
		floors: integer().notNull().default(0),
		households: integer().notNull().default(0),
		footprint: jsonb().$type<Polygon>(),
		point: jsonb().$type<LatLng>().notNull(),
		...synced
	},
	(t) => [
		index().on(t.compoundId),
		index().on(t.gridId),
		index().on(t.syncVersion),
		uniqueIndex().on(t.compoundId, t.code)
	]
);

export const teams = pgTable(
	'teams',
	{
		id: uuid().primaryKey(),
		name: text().notNull(),
		communityIds: ids(),
		...synced
	},
	(t) => [index().on(t.syncVersion)]
);

export const checklistTemplates = pgTable(
	'checklist_templates',
	{
		id: uuid().notNull(),
		version: integer().notNull(),
		title: jsonb().$type<I18nText>().notNull(),
		items: jsonb().$type<ChecklistItem[]>().notNull(),
		...synced
	},
	(t) => [primaryKey({ columns: [t.id, t.version] }), index().on(t.syncVersion)]
);

// ---- people and sessions ----

export const users = pgTable(
	'users',
	{
		id: uuid().primaryKey(),
		username: text().notNull().unique(),
		displayName: text().notNull(),
		role: text({ enum: ['volunteer', 'grid_leader', 'coordinator', 'admin'] }).notNull(),
		teamId: uuid(),
		gridIds: ids(),
		communityIds: ids(),
		active: boolean().notNull().default(true),
		passwordHash: text().notNull(),
		createdAt: atNotNull().defaultNow(),
		...synced
	},
	(t) => [index().on(t.syncVersion)]
);

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 of the cookie token: a database leak does not leak usable sessions. */
		id: text().primaryKey(),
		userId: uuid().notNull(),
		createdAt: atNotNull().defaultNow(),
		expiresAt: atNotNull(),
		lastSeenAt: atNotNull().defaultNow(),
		revokedAt: at(),
		userAgent: text(),
		ip: text()
	},
	(t) => [index().on(t.userId)]
);

/** Failed logins, counted per username and per address over a sliding window. */
export const loginFailures = pgTable(
	'login_failures',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		key: text().notNull(),
		at: atNotNull().defaultNow()
	},
	(t) => [index().on(t.key, t.at)]
);

// ---- field records ----

export const patrols = pgTable(
	'patrols',
	{
		id: uuid().primaryKey(),
		templateId: uuid().notNull(),
		templateVersion: integer().notNull(),
		...placed,
		teamId: uuid(),
		startedAt: atNotNull(),
		finishedAt: at(),
		answers: jsonb().$type<PatrolAnswer[]>().notNull().default([]),
		track: jsonb().$type<{ lat: number; lng: number; t: string }[]>(),
		status: text({ enum: ['draft', 'submitted'] }).notNull(),
		by: uuid().notNull(),
		...synced
	},
	(t) => [
		index().on(t.compoundId),
		index().on(t.by),
		index().on(t.syncVersion),
		photoIndex(t.answers),
		// The monthly assessment counts the patrols of a month.
		index().on(t.startedAt)
	]
);

export const observations = pgTable(
	'observations',
	{
		id: uuid().primaryKey(),
		category: text().notNull(),
		subtype: text().notNull(),
		severity: text().notNull(),
		location: jsonb().$type<GpsFix>().notNull(),
		...placed,
		buildingId: uuid(),
		note: text().notNull().default(''),
		photos: photos(),
		observedAt: atNotNull(),
		resolvedOnSpot: boolean().notNull().default(false),
		patrolId: uuid(),
		by: uuid().notNull(),
		...synced
	},
	(t) => [
		index().on(t.compoundId),
		index().on(t.by),
		index().on(t.observedAt),
		index().on(t.syncVersion),
		photoIndex(t.photos),
		// The review dashboard counts live observations by time, place and category from the index alone.
		index('observations_review_index')
			.on(t.observedAt, t.communityId, t.compoundId, t.category)
			.where(sql`deleted_at IS NULL`)
	]
);

export const feedback = pgTable(
	'feedback',
	{
		id: uuid().primaryKey(),
		kind: text().notNull(),
		topic: text().notNull(),
		channel: text().notNull(),
		text: text().notNull(),
		resident: jsonb().$type<Resident>(),
		consentToContact: boolean().notNull().default(false),
		...placed,
		buildingId: uuid(),
		receivedAt: atNotNull(),
		by: uuid().notNull(),
		...synced
	},
	(t) => [index().on(t.compoundId), index().on(t.by), index().on(t.syncVersion)]
);

export const visits = pgTable(
	'visits',
	{
		id: uuid().primaryKey(),
		...placed,
		buildingId: uuid().notNull(),
		unit: text(),
		purpose: text().notNull(),
		summary: text().notNull(),
		residentsMet: integer().notNull().default(0),
		needsFollowUp: boolean().notNull().default(false),
		location: jsonb().$type<GpsFix>(),
		visitedAt: atNotNull(),
		by: uuid().notNull(),
		...synced
	},
	(t) => [index().on(t.gridId), index().on(t.by), index().on(t.syncVersion)]
);

export const surveys = pgTable(
	'surveys',
	{
		id: uuid().primaryKey(),
		...placed,
		month: text().notNull(),
		scores: jsonb().$type<Survey['scores']>().notNull(),
		overall: smallint().notNull(),
		by: uuid().notNull(),
		...synced
	},
	(t) => [index().on(t.compoundId, t.month), index().on(t.month), index().on(t.syncVersion)]
);

export const cases = pgTable(
	'cases',
	{
		id: uuid().primaryKey(),
		source: jsonb().$type<CaseRecord['source']>().notNull(),
		title: text().notNull(),
		category: text().notNull(),
		priority: text().notNull(),
		...placed,
		status: text().notNull(),
		assigneeId: uuid(),
		teamId: uuid(),
		duplicateOf: uuid(),
		dueAt: at(),
		resolvedAt: at(),
		resolution: text(),
		satisfaction: smallint(),
		createdAt: atNotNull(),
		updatedAt: atNotNull(),
		...synced
	},
	(t) => [
		index().on(t.compoundId, t.status),
		index().on(t.assigneeId),
		index().on(t.dueAt),
		index().on(t.syncVersion),
		// The review dashboard and the assessment: cases by when they were made and resolved, and the open ones.
		index().on(t.createdAt),
		index().on(t.resolvedAt),
		index('cases_open_index')
			.on(t.communityId, t.compoundId, t.dueAt)
			.where(sql`status NOT IN ('resolved', 'closed', 'duplicate', 'rejected') AND deleted_at IS NULL`),
		index('cases_not_ours_index')
			.on(t.updatedAt)
			.where(sql`status IN ('duplicate', 'rejected') AND deleted_at IS NULL`),
		// The assessment's satisfaction answers: closed cases with an answer, by their last update.
		index('cases_closed_answers_index')
			.on(t.updatedAt)
			.where(sql`status = 'closed' AND satisfaction IS NOT NULL AND deleted_at IS NULL`)
	]
);

export const caseEvents = pgTable(
	'case_events',
	{
		id: uuid().primaryKey(),
		caseId: uuid().notNull(),
		...placed,
		kind: text().notNull(),
		body: text(),
		from: text(),
		to: text(),
		photos: photos(),
		at: atNotNull(),
		by: uuid().notNull(),
		...synced
	},
	(t) => [
		index().on(t.caseId),
		index().on(t.syncVersion),
		photoIndex(t.photos),
		// When a case was (last) closed, read from the index alone.
		index('case_events_closing_index')
			.on(t.caseId, t.at)
			.where(sql`kind = 'transition' AND "to" = 'closed'`)
	]
);

// ---- sync state ----

/** One row: the global version counter. Taken with UPDATE … RETURNING inside the writing transaction. */
export const syncCounter = pgTable('sync_counter', {
	id: smallint().primaryKey().default(1),
	value: bigint({ mode: 'number' }).notNull().default(0)
});

/**
 * The answer a refused mutation got, kept so that a retry after a lost response is told "rejected"
 * again, not "applied": a refusal must reach the device's needs-attention list, never vanish.
 */
export const syncRejections = pgTable(
	'sync_rejections',
	{
		clientId: text().notNull(),
		mutationId: bigint({ mode: 'number' }).notNull(),
		code: text().notNull(),
		message: text().notNull(),
		current: jsonb().$type<unknown>(),
		at: atNotNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.clientId, t.mutationId] }), index().on(t.at)]
);

export const syncClients = pgTable(
	'sync_clients',
	{
		clientId: text().primaryKey(),
		clientGroupId: text().notNull(),
		userId: uuid().notNull(),
		lastMutationId: bigint({ mode: 'number' }).notNull().default(0),
		updatedAt: atNotNull().defaultNow()
	},
	(t) => [index().on(t.clientGroupId)]
);

/**
 * One row per browser profile: what its device's copy of the data was loaded for, so that a pull can
 * tell when the device must reload (DESIGN.md §3 `reset`).
 */
export const syncClientGroups = pgTable('sync_client_groups', {
	clientGroupId: text().primaryKey(),
	userId: uuid().notNull(),
	/** Fingerprint of the role and scope the device's copy was pulled with. */
	scopeHash: text().notNull(),
	/**
	 * The newest committed version when the device last loaded from scratch: a change at or below it
	 * that the person may not see was never on the device, so it is skipped rather than sent as `del`.
	 */
	loadVersion: bigint({ mode: 'number' }).notNull(),
	/** The stale cursor that was last answered with a reset: asked again, the reset was lost and is repeated. */
	resetFrom: bigint({ mode: 'number' }),
	lastPullAt: atNotNull()
});

/** One row: the newest version of any tombstone purged so far. Older cursors may have missed deletions. */
export const syncHorizon = pgTable('sync_horizon', {
	id: smallint().primaryKey().default(1),
	purgedThrough: bigint({ mode: 'number' }).notNull().default(0)
});

export const blobs = pgTable('blobs', {
	sha256: text().primaryKey(),
	mime: text().notNull(),
	bytes: integer().notNull(),
	width: integer(),
	height: integer(),
	uploadedBy: uuid().notNull(),
	createdAt: atNotNull().defaultNow()
});

/** Who changed what, when, from which device. Append-only. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		at: atNotNull().defaultNow(),
		userId: uuid(),
		clientId: text(),
		requestId: text(),
		action: text().notNull(),
		collection: text(),
		recordId: text(),
		changes: jsonb().$type<Record<string, unknown>>()
	},
	// (at, id): the audit page's keyset pages, newest first.
	(t) => [index().on(t.at, t.id), index().on(t.userId), index().on(t.collection, t.recordId)]
);

// ---- Open311 (GeoReport v2) ----

/** API keys admins hand to Open311 clients; only a hash is kept. A revoked key stays for the record. */
export const open311Keys = pgTable('open311_keys', {
	id: uuid().primaryKey(),
	/** Who holds the key ("FixMyStreet", "12345 hotline"), shown to admins. */
	label: text().notNull(),
	/** SHA-256 of the key, hex. */
	keyHash: text().notNull().unique(),
	createdBy: uuid().notNull(),
	createdAt: atNotNull().defaultNow(),
	revokedAt: at()
});

/** What an Open311 client sent with a request beyond the feedback record it became. */
export const open311Requests = pgTable(
	'open311_requests',
	{
		caseId: uuid().primaryKey(),
		feedbackId: uuid().notNull(),
		serviceCode: text().notNull(),
		/** The key's label, or `env` for a key from OPEN311_API_KEYS. */
		client: text().notNull(),
		addressString: text(),
		requestedAt: atNotNull()
	},
	(t) => [index().on(t.requestedAt)]
);
