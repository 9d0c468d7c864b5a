import { describe, expect, it } from 'vitest';
import type { RejectedEntry } from './db';
import { attentionHref, caseOfRefusal } from './rejected';

const refusal = (
	collection: RejectedEntry['collection'],
	recordId: string,
	args: unknown = {}
): RejectedEntry => ({
	id: Math.floor(Math.random() * 1e6),
	mutation: { id: 1, name: `${collection}.create`, args, clientTime: '2026-03-01T08:00:00.000Z' },
	collection,
	recordId,
	code: 'FORBIDDEN',
	message: '…',
	at: '2026-03-01T08:00:00.000Z'
});

describe('where a refusal is dealt with', () => {
	it('finds the case of a move and of a comment', () => {
		expect(caseOfRefusal(refusal('case', 'c1'))).toBe('c1');
		expect(caseOfRefusal(refusal('caseEvent', 'e1', { caseId: 'c1' }))).toBe('c1');
		expect(caseOfRefusal(refusal('observation', 'o1'))).toBeUndefined();
	});

	it('leads to the case, the person’s records or the settings', () => {
		expect(attentionHref([refusal('case', 'c1'), refusal('caseEvent', 'e1', { caseId: 'c1' })])).toBe(
			'/cases/c1'
		);
		expect(attentionHref([refusal('observation', 'o1'), refusal('visit', 'v1')])).toBe(
			'/mine?state=attention'
		);
		expect(attentionHref([refusal('case', 'c1'), refusal('case', 'c2')])).toBe('/settings#needs-attention');
		expect(attentionHref([refusal('case', 'c1'), refusal('observation', 'o1')])).toBe(
			'/settings#needs-attention'
		);
		expect(attentionHref([refusal('survey', 's1')])).toBe('/settings#needs-attention');
	});
});
