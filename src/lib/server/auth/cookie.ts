import type { CookieSerializeOptions } from 'cookie';
import type { Config } from '../config';

/**
 * HttpOnly, SameSite=Lax, and Secure whenever the app is served over HTTPS. The scheme is only known
 * when ORIGIN or PROTOCOL_HEADER tells it: adapter-node otherwise guesses https, and a Secure cookie
 * over plain http (a phone on the local network) would never come back.
 */
export function sessionCookieOptions(
	url: URL,
	config: Pick<Config, 'knowsScheme'>,
	expires: Date
): CookieSerializeOptions & { path: string } {
	const secure = config.knowsScheme && url.protocol === 'https:';
	return { path: '/', httpOnly: true, sameSite: 'lax', secure, expires };
}
