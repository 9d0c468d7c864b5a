import type { CaseStatus } from '$lib/domain';
import { tr } from '$lib/i18n/current.svelte';

/** The move to a status, in words ("Triage", "分拣"); no move leads back to `reported`. */
export function moveLabel(to: CaseStatus): string {
	return tr(`cases.move.${to as Exclude<CaseStatus, 'reported'>}`);
}

/** A status in words; empty for none. */
export function statusLabel(status: CaseStatus | null | undefined): string {
	return status ? tr(`caseStatus.${status}`) : '';
}
