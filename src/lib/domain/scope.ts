import type { Role } from './enums';

/**
 * Where a person may act, resolved from reference data when their session loads:
 * - volunteer: the compounds of their team's communities;
 * - grid_leader: their grids, and the compounds those grids cover;
 * - coordinator: their communities, with every compound and grid inside them;
 * - admin: everything (`all`).
 */
export interface Scope {
	all: boolean;
	communityIds: string[];
	compoundIds: string[];
	gridIds: string[];
}

/** The person acting, as the server knows them from the session (never from a request body). */
export interface Actor {
	id: string;
	role: Role;
	teamId?: string | null;
	scope: Scope;
}

/** A signed-in person as the app shows them: who they are and what they may do where. */
export interface Person extends Actor {
	username: string;
	displayName: string;
	teamId: string | null;
}

/** Where a record sits. `gridId` is absent when the record is tied to a compound only. */
export interface Place {
	communityId: string;
	compoundId: string;
	gridId?: string | null;
}

export const everywhere: Scope = { all: true, communityIds: [], compoundIds: [], gridIds: [] };
export const nowhere: Scope = { all: false, communityIds: [], compoundIds: [], gridIds: [] };
