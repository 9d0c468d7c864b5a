import type { Locale } from '$lib/i18n';
import type { Db } from '../db';
import { answer, Open311Error, XmlList, type Format } from './format';
import { takeRequest } from './intake';
import { keyHolder } from './keys';
import { findRequests, type OpenOrClosed } from './requests';
import { findService, serviceDefinition, serviceListing, services } from './services';
import { findUpdates, takeUpdate } from './updates';

/**
 * Open311 GeoReport v2 at /open311/v2 (https://wiki.open311.org/GeoReport_v2): discovery, services,
 * requests, and FixMyStreet's `servicerequestupdates`, each as `.json` or `.xml`.
 */
export interface Open311Context {
	db: Db;
	envKeys: readonly string[];
	locale: Locale;
	/** The endpoint's own address, for discovery. */
	baseUrl: string;
	now?: Date;
}

/** `requests/<id>.json` → the resource and its format. */
export function parsePath(path: string): { resource: string[]; format: Format } | null {
	const match = /^(.+)\.(json|xml)$/.exec(path);
	if (!match) return null;
	return { resource: match[1].split('/'), format: match[2] as Format };
}

export async function handleGet(
	ctx: Open311Context,
	path: string,
	query: URLSearchParams
): Promise<Response> {
	const parsed = parsePath(path);
	if (!parsed) return new Open311Error(404, 'open311.error.notFound').toResponse('json', ctx.locale);
	const { resource, format } = parsed;
	try {
		const [first, second, ...rest] = resource;
		if (rest.length > 0) throw new Open311Error(404, 'open311.error.notFound');
		if (first === 'discovery' && !second) return answer(format, 'discovery', discovery(ctx));
		if (first === 'services' && !second) {
			return answer(
				format,
				'services',
				new XmlList(
					'service',
					services.map((s) => serviceListing(s, ctx.locale))
				)
			);
		}
		if (first === 'services') {
			const service = findService(second);
			if (!service) throw new Open311Error(404, 'open311.error.unknownService', { code: second });
			return answer(format, 'service_definition', definitionDocument(serviceDefinition(service, ctx.locale)));
		}
		if (first === 'requests') {
			const found = await findRequests(
				ctx.db,
				second ? { ids: [second] } : requestQuery(query),
				ctx.locale,
				ctx.now
			);
			if (second && found.length === 0)
				throw new Open311Error(404, 'open311.error.unknownRequest', { id: second });
			return answer(format, 'service_requests', new XmlList('request', found));
		}
		if (first === 'servicerequestupdates' && !second) {
			const updates = await findUpdates(
				ctx.db,
				{ start: dateParam(query, 'start_date'), end: dateParam(query, 'end_date') },
				ctx.locale,
				ctx.now
			);
			return answer(format, 'service_request_updates', new XmlList('request_update', updates));
		}
		throw new Open311Error(404, 'open311.error.notFound');
	} catch (error) {
		if (error instanceof Open311Error) return error.toResponse(format, ctx.locale);
		throw error;
	}
}

export async function handlePost(ctx: Open311Context, path: string, body: FormData): Promise<Response> {
	const parsed = parsePath(path);
	if (!parsed) return new Open311Error(404, 'open311.error.notFound').toResponse('json', ctx.locale);
	const { resource, format } = parsed;
	const params = {
		get: (name: string) => (typeof body.get(name) === 'string' ? (body.get(name) as string) : null)
	};
	try {
		const [first, ...rest] = resource;
		if (rest.length > 0 || (first !== 'requests' && first !== 'servicerequestupdates')) {
			throw new Open311Error(404, 'open311.error.notFound');
		}
		const client = await keyHolder(ctx.db, ctx.envKeys, params.get('api_key'));
		if (!client) throw new Open311Error(403, 'open311.error.apiKey');
		const intake = { client, locale: ctx.locale, now: ctx.now };
		if (first === 'requests') {
			const made = await takeRequest(ctx.db, params, intake);
			return answer(format, 'service_requests', new XmlList('request', [made]));
		}
		const update = await takeUpdate(ctx.db, params, intake);
		return answer(format, 'service_request_updates', new XmlList('request_update', [update]));
	} catch (error) {
		if (error instanceof Open311Error) return error.toResponse(format, ctx.locale);
		throw error;
	}
}

function discovery(ctx: Open311Context) {
	return {
		changeset: '2026-11-25T00:00:00Z',
		contact: ctx.locale === 'en' ? 'Your community service station' : '所在社区服务站',
		key_service: ctx.locale === 'en' ? 'API keys are issued by the administrators' : 'API 密钥由管理员发放',
		endpoints: new XmlList('endpoint', [
			{
				specification: 'http://wiki.open311.org/GeoReport_v2',
				url: ctx.baseUrl,
				changeset: '2026-11-25T00:00:00Z',
				type: 'production',
				formats: new XmlList('format', ['text/xml', 'application/json'])
			}
		])
	};
}

/** The definition's nested lists, wrapped for the XML. */
function definitionDocument(definition: ReturnType<typeof serviceDefinition>) {
	return {
		service_code: definition.service_code,
		attributes: new XmlList(
			'attribute',
			definition.attributes.map((attribute) => ({
				...attribute,
				values: new XmlList('value', attribute.values)
			}))
		)
	};
}

function dateParam(query: URLSearchParams, name: string): Date | undefined {
	const value = query.get(name);
	if (!value) return undefined;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) throw new Open311Error(400, 'open311.error.badDate', { field: name });
	return date;
}

function requestQuery(query: URLSearchParams) {
	const ids = query.get('service_request_id');
	if (ids)
		return {
			ids: ids
				.split(',')
				.map((id) => id.trim())
				.filter((id) => /^[0-9a-f-]{36}$/i.test(id))
		};
	const statuses = query
		.get('status')
		?.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (statuses?.some((s) => s !== 'open' && s !== 'closed')) {
		throw new Open311Error(400, 'open311.error.badStatus');
	}
	return {
		serviceCode: query.get('service_code') || undefined,
		start: dateParam(query, 'start_date'),
		end: dateParam(query, 'end_date'),
		statuses: statuses as OpenOrClosed[] | undefined
	};
}
