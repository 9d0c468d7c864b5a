import type { DigestFields, DigestOf } from '../digest';

/**
 * The fields of each record the map reads: where a case or an observation was found, its status and
 * dates, who it is by, and the satisfaction answers. The device keeps them as digests (`lib/client/digest`),
 * so that the map reads the whole district's records in a few rows.
 */
export const mapFields = {
	observation: [
		'id',
		'location',
		'category',
		'subtype',
		'resolvedOnSpot',
		'observedAt',
		'by',
		'compoundId',
		'buildingId',
		'gridId'
	],
	case: [
		'id',
		'source',
		'status',
		'dueAt',
		'category',
		'title',
		'createdAt',
		'assigneeId',
		'compoundId',
		'gridId',
		'satisfaction'
	],
	feedback: ['id', 'by', 'buildingId'],
	visit: ['id', 'by', 'buildingId', 'location'],
	survey: ['id', 'compoundId', 'scores']
} as const satisfies DigestFields;

export type MapObservation = DigestOf<'observation', typeof mapFields.observation>;
export type MapCase = DigestOf<'case', typeof mapFields.case>;
export type MapFeedback = DigestOf<'feedback', typeof mapFields.feedback>;
export type MapVisit = DigestOf<'visit', typeof mapFields.visit>;
export type MapSurvey = DigestOf<'survey', typeof mapFields.survey>;
