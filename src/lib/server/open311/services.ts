import {
	feedbackKind,
	feedbackTopics,
	subtypeKeys,
	topicCategory,
	type Category,
	type FeedbackKind,
	type FeedbackTopic,
	type SubtypeKey
} from '$lib/domain';
import { t, type Locale } from '$lib/i18n';

/**
 * The Open311 services (GeoReport v2): what a resident can report. Each observation subtype is one
 * service (`parking.fire_lane_blocked`), each feedback topic another (`feedback.noise`). A report that
 * comes in through Open311 is resident feedback either way; its kind is asked for feedback services.
 */
export type ServiceCode = SubtypeKey | `feedback.${FeedbackTopic}`;

export interface Service {
	code: ServiceCode;
	/** The feedback topic a report to this service is filed under. */
	topic: FeedbackTopic;
	/** The feedback kind, fixed for problem services, asked (attribute `kind`) for feedback services. */
	kind: FeedbackKind | null;
	category: Category;
}

/** Kinds a resident may choose: praise opens no case, so it has no place in a service request. */
export const requestKinds = feedbackKind.options.filter((k) => k !== 'praise') as Exclude<
	FeedbackKind,
	'praise'
>[];

/** The topic each problem category is filed under when a resident reports it. */
const categoryTopic: Readonly<Record<Category, FeedbackTopic>> = {
	parking: 'parking',
	sanitation: 'cleanliness',
	safety: 'safety',
	facility: 'facilities',
	other: 'other'
};

export const services: readonly Service[] = [
	...subtypeKeys.map((code) => {
		const category = code.split('.')[0] as Category;
		return { code, topic: categoryTopic[category], kind: 'complaint' as const, category };
	}),
	...feedbackTopics.map((topic) => ({
		code: `feedback.${topic}` as const,
		topic,
		kind: null,
		category: topicCategory[topic]
	}))
];

export function findService(code: string): Service | undefined {
	return services.find((service) => service.code === code);
}

export const serviceName = (service: Service, locale: Locale) =>
	service.kind === null
		? t(locale, 'open311.feedbackService', { topic: t(locale, `feedbackTopic.${service.topic}`) })
		: t(locale, `subtype.${service.code as SubtypeKey}`);

/** One entry of `GET services`: the fields of the specification, in its order. */
export function serviceListing(service: Service, locale: Locale) {
	return {
		service_code: service.code,
		service_name: serviceName(service, locale),
		description: t(locale, 'open311.serviceDescription', {
			group: t(locale, `category.${service.category}`)
		}),
		metadata: service.kind === null,
		type: 'realtime' as const,
		keywords: [service.category, service.topic].join(','),
		group: t(locale, `category.${service.category}`)
	};
}

/** `GET services/<code>`: the extra answers a service needs (only the feedback services have one). */
export function serviceDefinition(service: Service, locale: Locale) {
	return {
		service_code: service.code,
		attributes:
			service.kind === null
				? [
						{
							variable: true,
							code: 'kind',
							datatype: 'singlevaluelist' as const,
							required: true,
							datatype_description: t(locale, 'open311.kindHint'),
							order: 1,
							description: t(locale, 'open311.kindQuestion'),
							values: requestKinds.map((kind) => ({ key: kind, name: t(locale, `feedbackKind.${kind}`) }))
						}
					]
				: []
	};
}
