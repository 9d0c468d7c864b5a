import type { CookieSerializeOptions } from 'cookie';

/** HttpOnly, SameSite=Lax, and Secure whenever the app is served over HTTPS. */
export function sessionCookieOptions(url: URL, expires: Date): CookieSerializeOptions & { path: string } {
	return { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires };
}
