import { XMLBuilder } from 'fast-xml-parser';
import { t, type Locale, type MessageKey } from '$lib/i18n';

/**
 * GeoReport v2 answers in JSON or XML, chosen by the path's extension. The JSON is the document itself;
 * the XML wraps each list in its plural element (`<services><service>…`), as the specification shows.
 */
export type Format = 'json' | 'xml';

/** A list in the XML: `<wrapper><item/>…</wrapper>`; in the JSON, a plain array. */
export class XmlList<T> {
	constructor(
		readonly item: string,
		readonly values: readonly T[]
	) {}
}

const builder = new XMLBuilder({ format: true, suppressEmptyNode: false, processEntities: true });

/** The JSON form: lists become arrays, missing values null. */
function asJson(value: unknown): unknown {
	if (value instanceof XmlList) return value.values.map(asJson);
	if (Array.isArray(value)) return value.map(asJson);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asJson(inner ?? null)]));
	}
	return value ?? null;
}

/** The XML form: lists become repeated child elements, null an empty element. */
function asXml(value: unknown): unknown {
	if (value instanceof XmlList) return { [value.item]: value.values.map(asXml) };
	if (Array.isArray(value)) return value.map(asXml);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asXml(inner)]));
	}
	return value ?? '';
}

const contentType: Record<Format, string> = {
	json: 'application/json; charset=utf-8',
	xml: 'text/xml; charset=utf-8'
};

/** Open311 clients run anywhere (a resident's browser, a city's server): reads are open to every origin. */
const openToAll = { 'access-control-allow-origin': '*' };

/** The answer: a top-level list (`<root><item/>…</root>` / `[…]`) or a single document (`<root>…</root>` / `{…}`). */
export function answer(format: Format, root: string, body: unknown, status = 200): Response {
	const text =
		format === 'json'
			? JSON.stringify(asJson(body))
			: `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: asXml(body) })}`;
	return new Response(text, { status, headers: { 'content-type': contentType[format], ...openToAll } });
}

/** A refusal as the specification words it: a list of `{ code, description }`, with the HTTP status. */
export class Open311Error extends Error {
	constructor(
		readonly status: number,
		readonly messageKey: MessageKey,
		readonly params: Record<string, string | number> = {}
	) {
		super(messageKey);
	}

	toResponse(format: Format, locale: Locale): Response {
		const error = { code: this.status, description: t(locale, this.messageKey, this.params) };
		return answer(format, 'errors', new XmlList('error', [error]), this.status);
	}
}
