import type { SyncError } from './sync/events';

export interface FieldIssue {
	path: string;
	message: string;
}

/** A write the device refuses before anything is stored; `code` and `message` are for the person. */
export class LocalRefusal extends Error implements SyncError {
	constructor(
		readonly code: string,
		message: string,
		readonly issues: FieldIssue[] = []
	) {
		super(message);
		this.name = 'LocalRefusal';
	}
}

/** Zod's issues as `path: message` lines a person (or a log) can read. */
export function fieldIssues(error: {
	issues: readonly { path: PropertyKey[]; message: string }[];
}): FieldIssue[] {
	return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function describeIssues(issues: FieldIssue[]): string {
	return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}
