import { and, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { CaseStatus, LatLng } from '$lib/domain';
import { t, type Locale } from '$lib/i18n';
import type { Db } from '../db';
import {
	buildings,
	cases,
	communities,
	compounds,
	feedback,
	observations,
	open311Requests
} from '../db/schema';
import { findService, serviceName } from './services';

/**
 * Cases as Open311 service requests. Only cases a resident could have reported are public: those opened
 * by an observation or a resident's feedback. Household visits stay inside. No resident's name or phone
 * is ever part of a request, and a phone number typed into a title is masked.
 */
export type OpenOrClosed = 'open' | 'closed';

const closedStatuses: readonly CaseStatus[] = ['resolved', 'closed', 'duplicate', 'rejected'];
export const openOrClosed = (status: string): OpenOrClosed =>
	closedStatuses.includes(status as CaseStatus) ? 'closed' : 'open';

/** The specification's default window when no dates are given, and its largest answer. */
const defaultDays = 90;
export const maxRequests = 1000;

export interface RequestQuery {
	ids?: string[];
	serviceCode?: string;
	start?: Date;
	end?: Date;
	statuses?: OpenOrClosed[];
}

const sourceType = sql<string>`${cases.source}->>'type'`;
const sourceId = sql`(${cases.source}->>'id')::uuid`;
/** The service a request was made to, as posted; else read off the record that opened the case. */
const serviceCode = sql<string>`coalesce(${open311Requests.serviceCode}, ${observations.subtype}, 'feedback.' || ${feedback.topic})`;

export async function findRequests(db: Db, query: RequestQuery, locale: Locale, now = new Date()) {
	const where: (SQL | undefined)[] = [
		isNull(cases.deletedAt),
		inArray(sourceType, ['observation', 'feedback'])
	];
	if (query.ids) {
		// Asked by id, the other filters do not apply (GeoReport v2).
		where.push(inArray(cases.id, query.ids));
	} else {
		const start = query.start ?? new Date((query.end ?? now).getTime() - defaultDays * 86_400_000);
		where.push(gte(cases.createdAt, start));
		if (query.end) where.push(lte(cases.createdAt, query.end));
		if (query.serviceCode) where.push(eq(serviceCode, query.serviceCode));
		if (query.statuses?.length === 1) {
			const closed = inArray(cases.status, [...closedStatuses]);
			where.push(query.statuses[0] === 'closed' ? closed : sql`not ${closed}`);
		}
	}
	const rows = await db
		.select({
			id: cases.id,
			status: cases.status,
			title: cases.title,
			resolution: cases.resolution,
			createdAt: cases.createdAt,
			updatedAt: cases.updatedAt,
			dueAt: cases.dueAt,
			serviceCode,
			community: communities.name,
			compound: compounds.name,
			centroid: compounds.centroid,
			building: buildings.name,
			buildingPoint: buildings.point,
			location: observations.location,
			addressString: open311Requests.addressString
		})
		.from(cases)
		.innerJoin(compounds, eq(compounds.id, cases.compoundId))
		.innerJoin(communities, eq(communities.id, cases.communityId))
		.leftJoin(observations, and(eq(sourceType, 'observation'), eq(observations.id, sourceId)))
		.leftJoin(feedback, and(eq(sourceType, 'feedback'), eq(feedback.id, sourceId)))
		.leftJoin(buildings, eq(buildings.id, sql`coalesce(${observations.buildingId}, ${feedback.buildingId})`))
		.leftJoin(open311Requests, eq(open311Requests.caseId, cases.id))
		.where(and(...where))
		.orderBy(desc(cases.createdAt))
		.limit(maxRequests);
	return rows.map((row) => asRequest(row, locale));
}

type Row = {
	id: string;
	status: string;
	title: string;
	resolution: string | null;
	createdAt: Date;
	updatedAt: Date;
	dueAt: Date | null;
	serviceCode: string;
	community: string;
	compound: string;
	centroid: LatLng;
	building: string | null;
	buildingPoint: LatLng | null;
	location: LatLng | null;
	addressString: string | null;
};

/** A phone number in free text reads as 138****5678. */
export const maskPhonesIn = (text: string) => text.replace(/(1[3-9]\d)\d{4}(\d{4})/g, '$1****$2');

/** The workflow state in words, with the resolution once there is one. */
export function statusNotes(status: string, resolution: string | null, locale: Locale): string {
	const state = t(locale, `caseStatus.${status as CaseStatus}`);
	return resolution ? `${state}: ${maskPhonesIn(resolution)}` : state;
}

function asRequest(row: Row, locale: Locale) {
	const service = findService(row.serviceCode);
	const where = row.location ?? row.buildingPoint ?? row.centroid;
	return {
		service_request_id: row.id,
		status: openOrClosed(row.status),
		status_notes: statusNotes(row.status, row.resolution, locale),
		service_name: service ? serviceName(service, locale) : row.serviceCode,
		service_code: row.serviceCode,
		description: maskPhonesIn(row.title),
		agency_responsible: row.community,
		service_notice: '',
		requested_datetime: row.createdAt.toISOString(),
		updated_datetime: row.updatedAt.toISOString(),
		expected_datetime: row.dueAt?.toISOString() ?? null,
		address: row.addressString ?? [row.compound, row.building].filter(Boolean).join(' '),
		address_id: null,
		zipcode: null,
		lat: where.lat,
		long: where.lng,
		media_url: ''
	};
}
