import { sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import {
	topicCategory,
	type CaseRecord,
	type CaseSourceType,
	type Feedback,
	type FeedbackKind,
	type Observation,
	type Place,
	type Priority,
	type Severity,
	type Visit
} from '$lib/domain';
import { t, type Locale } from '$lib/i18n';
import type { CollectionName } from '$lib/sync/collections';
import { cases } from '../db/schema';
import type { MutationContext } from './apply';
import { appendCaseEvent } from './caseEvents';
import type { PushStore } from './storage';

/** What a field record that needs work puts on its new case. */
type Opening = Pick<CaseRecord, 'title' | 'category' | 'priority'>;

interface OpeningLookups {
	locale: Locale;
	buildingName(id: string | null | undefined): Promise<string | null>;
}

type Opener<R> = (record: R, lookups: OpeningLookups) => Promise<Opening | null>;

const severityPriority: Readonly<Record<Severity, Priority>> = { low: 'low', medium: 'normal', high: 'high' };

const feedbackPriority: Readonly<Record<Exclude<FeedbackKind, 'praise'>, Priority>> = {
	suggestion: 'low',
	request: 'normal',
	complaint: 'normal',
	dispute: 'high'
};

/** Titles are stored once and read in lists, so they stay short. */
const titleLength = 60;
const clip = (text: string) => {
	const chars = Array.from(text.replace(/\s+/g, ' ').trim());
	return chars.length > titleLength ? `${chars.slice(0, titleLength - 1).join('')}…` : chars.join('');
};

/** DOMAIN.md: what opens a case. A record type without an entry never does. */
const openers: { observation: Opener<Observation>; feedback: Opener<Feedback>; visit: Opener<Visit> } = {
	observation: async (o, { locale, buildingName }) => {
		if (o.resolvedOnSpot) return null;
		const subtype = t(locale, `subtype.${o.subtype}`);
		const building = await buildingName(o.buildingId);
		return {
			title: clip(building ? t(locale, 'caseTitle.observationAt', { subtype, building }) : subtype),
			category: o.category,
			// A serious safety problem puts people at risk before anything else does.
			priority: o.category === 'safety' && o.severity === 'high' ? 'urgent' : severityPriority[o.severity]
		};
	},
	feedback: async (f, { locale }) => {
		if (f.kind === 'praise') return null;
		return {
			title: clip(
				t(locale, 'caseTitle.feedback', { kind: t(locale, `feedbackKind.${f.kind}`), text: f.text })
			),
			category: topicCategory[f.topic],
			priority: feedbackPriority[f.kind]
		};
	},
	visit: async (v, { locale, buildingName }) => {
		if (!v.needsFollowUp) return null;
		const place = [await buildingName(v.buildingId), v.unit].filter(Boolean).join(' ');
		return {
			title: clip(t(locale, 'caseTitle.visit', { place, summary: v.summary })),
			category: 'other',
			priority: v.purpose === 'elderly_care' ? 'high' : 'normal'
		};
	}
};

/** The case a record opens has an id made from the record's, so a retried create never opens two. */
export function caseIdFor(source: CaseSourceType, recordId: string): string {
	return uuidv5(`case-from-${source}`, recordId);
}

/**
 * Opens the case a field record calls for (an observation not resolved on the spot, feedback that is
 * not praise, a visit to follow up), with its `reported` event, unless that case is open already.
 */
export async function openCaseIfDue(
	store: PushStore,
	context: MutationContext,
	collection: CollectionName,
	record: { id: string },
	place: Place,
	created: boolean
): Promise<void> {
	const opener = (openers as Partial<Record<CollectionName, Opener<never>>>)[collection];
	if (!opener) return;
	const opening = await opener(record as never, {
		locale: context.locale,
		buildingName: async (id) => (id ? ((await store.building(id))?.name ?? null) : null)
	});
	if (!opening) return;
	const id = caseIdFor(collection as CaseSourceType, record.id);
	// One case per source, whatever id it got (cases loaded with the demo or imported have others). A record
	// created just now has none yet: cases are only ever opened for stored records.
	if (!created && (await hasCase(store, { type: collection, id: record.id }))) return;
	const now = context.now.toISOString();
	const opened: CaseRecord = {
		id,
		source: { type: collection as CaseSourceType, id: record.id },
		...opening,
		compoundId: place.compoundId,
		gridId: place.gridId ?? null,
		status: 'reported',
		teamId: context.actor.teamId ?? null,
		createdAt: now,
		updatedAt: now
	};
	await store.insert('case', opened, place);
	await appendCaseEvent(
		store,
		context,
		id,
		place,
		{ kind: 'transition', to: 'reported' },
		uuidv5('opened', id)
	);
}

async function hasCase(store: PushStore, source: { type: CollectionName; id: string }): Promise<boolean> {
	const [existing] = await store.tx
		.select({ id: cases.id })
		.from(cases)
		.where(sql`${cases.source} @> ${JSON.stringify(source)}::jsonb`)
		.limit(1);
	return existing !== undefined;
}
