/**
 * Field-level merge of DESIGN.md §3: an update carries only the fields it changes; for the same field
 * the later arrival at the server wins. The same function rebases pending updates on the device.
 */
export function mergeFields<T extends object>(record: T, changes: Partial<T>): T {
	const merged = { ...record };
	for (const [field, value] of Object.entries(changes) as [keyof T, T[keyof T]][]) {
		if (value !== undefined) merged[field] = value;
	}
	return merged;
}

/** Deterministic comparison of two records' content, for "create of an existing id with the same content". */
export function sameContent(a: unknown, b: unknown): boolean {
	return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(
					Object.entries(v)
						.filter(([, inner]) => inner !== undefined && inner !== null)
						.sort(([x], [y]) => x.localeCompare(y))
				)
			: v
	);
}
