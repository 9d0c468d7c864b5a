import { randomUUID } from 'node:crypto';
import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { env } from '$env/dynamic/private';
import { pickLocale, t } from '$lib/i18n';
import { getApp, startApp } from '$lib/server/app';
import { sessionCookie, validateSession } from '$lib/server/auth/session';
import { sessionCookieOptions } from '$lib/server/auth/cookie';
import { ApiError, unauthenticated } from '$lib/server/http';
import { log } from '$lib/server/log';

export const init: ServerInit = async () => {
	// The build prerenders the app shell, which needs no database.
	if (!building) await startApp(env);
};

/** API paths that answer without a session. */
const publicApi = ['/api/auth/login', '/api/health'];
/** Pages that open without a session. */
const publicPages = ['/login'];
/** Open311 answers every client; it writes only with an `api_key`, never on a session, so no cross-site guard either. */
const isOpen311 = (path: string) => path.startsWith('/open311/');
const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const requestContext: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	event.locals.requestId = event.request.headers.get('x-request-id')?.slice(0, 64) || randomUUID();
	event.locals.locale = pickLocale(event.cookies.get('lang'), event.request.headers.get('accept-language'));
	event.locals.user = null;
	event.locals.sessionId = null;
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	response.headers.set('x-request-id', event.locals.requestId);
	log.info(
		{
			reqId: event.locals.requestId,
			method: event.request.method,
			path: event.url.pathname,
			status: response.status,
			ms: Math.round(performance.now() - started),
			// Read through the interface: TypeScript narrowed `user` to null at the assignment above.
			userId: (event.locals as App.Locals).user?.id
		},
		'request'
	);
	return response;
};

/**
 * SvelteKit's own origin check covers form posts; this covers the JSON API too. A browser always
 * sends Origin (or Sec-Fetch-Site) on a cross-site write, so a mismatch is refused. Hosts are compared,
 * not schemes: without ORIGIN, adapter-node cannot know the scheme and guesses https.
 */
const crossSiteGuard: Handle = async ({ event, resolve }) => {
	if (stateChanging.has(event.request.method) && !isOpen311(event.url.pathname)) {
		const origin = event.request.headers.get('origin');
		const fetchSite = event.request.headers.get('sec-fetch-site');
		if ((origin && hostOf(origin) !== event.url.host) || fetchSite === 'cross-site') {
			return new ApiError(403, 'CROSS_SITE', 'error.crossSite').toResponse(event.locals.locale);
		}
	}
	return resolve(event);
};

function hostOf(origin: string): string | null {
	try {
		return new URL(origin).host;
	} catch {
		return null;
	}
}

const authenticate: Handle = async ({ event, resolve }) => {
	if (building) return resolve(event);
	const token = event.cookies.get(sessionCookie);
	if (token) {
		const { database, config } = await getApp();
		const session = await validateSession(database.db, token, {
			lifetimeMs: config.sessionDays * 86_400_000
		});
		if (session) {
			event.locals.user = session.user;
			event.locals.sessionId = session.sessionId;
			if (session.renewedUntil) {
				event.cookies.set(
					sessionCookie,
					token,
					sessionCookieOptions(event.url, config, session.renewedUntil)
				);
			}
		} else {
			event.cookies.delete(sessionCookie, { path: '/' });
		}
	}
	const path = event.url.pathname;
	if (!event.locals.user && !isOpen311(path)) {
		if (path.startsWith('/api/') && !publicApi.includes(path)) {
			return unauthenticated().toResponse(event.locals.locale);
		}
		if (!path.startsWith('/api/') && !publicPages.includes(path) && event.request.method === 'GET') {
			redirect(303, `/login?next=${encodeURIComponent(path + event.url.search)}`);
		}
	}
	return resolve(event);
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	response.headers.set('x-frame-options', 'DENY');
	response.headers.set('permissions-policy', 'camera=(self), geolocation=(self), microphone=()');
	return response;
};

export const handle = sequence(requestContext, securityHeaders, crossSiteGuard, authenticate);

export const handleError: HandleServerError = ({ error, event, status }) => {
	const locale = event.locals.locale ?? 'zh-CN';
	if (status === 404) return { code: 'NOT_FOUND', message: t(locale, 'error.notFound') };
	log.error({ reqId: event.locals.requestId, path: event.url.pathname, err: error }, 'unhandled error');
	return { code: 'INTERNAL', message: t(locale, 'error.internal') };
};
