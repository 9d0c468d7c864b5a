/**
 * The review pages read figures the server counts: there is no copy on the device. A failed read says
 * whether the network was missing (the page then says the figures need it) or what the server said.
 */
export type ReviewAnswer<T> = { ok: true; body: T } | { ok: false; offline: boolean; message: string };

export async function fetchReview<T>(path: string, fetcher: typeof fetch = fetch): Promise<ReviewAnswer<T>> {
	if (typeof navigator !== 'undefined' && !navigator.onLine) return { ok: false, offline: true, message: '' };
	let response: Response;
	try {
		response = await fetcher(path, { headers: { accept: 'application/json' } });
	} catch {
		return { ok: false, offline: true, message: '' };
	}
	const body = await response.json().catch(() => null);
	if (!response.ok) return { ok: false, offline: false, message: body?.message ?? String(response.status) };
	return { ok: true, body: body as T };
}
