import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { everywhere, type Role, type Scope } from '$lib/domain';
import type { Db } from '../db';
import { compounds, grids, teams } from '../db/schema';

interface ScopedUser {
	id: string;
	role: Role;
	teamId: string | null;
	gridIds: string[];
	communityIds: string[];
}

/** Resolves where a person may act from the reference data (DOMAIN.md roles table). */
export async function resolveScope(db: Db, user: ScopedUser): Promise<Scope> {
	switch (user.role) {
		case 'admin':
			return everywhere;
		case 'coordinator':
			return withinCommunities(db, user.communityIds, true);
		case 'volunteer': {
			const [team] = user.teamId
				? await db.select({ communityIds: teams.communityIds }).from(teams).where(eq(teams.id, user.teamId))
				: [];
			return withinCommunities(db, team?.communityIds ?? user.communityIds, false);
		}
		case 'grid_leader': {
			const led = await db
				.select({ id: grids.id, communityId: grids.communityId, compoundIds: grids.compoundIds })
				.from(grids)
				.where(
					and(
						isNull(grids.deletedAt),
						or(
							eq(grids.leaderUserId, user.id),
							user.gridIds.length ? inArray(grids.id, user.gridIds) : sql`false`
						)
					)
				);
			return {
				all: false,
				gridIds: unique(led.map((g) => g.id)),
				compoundIds: unique(led.flatMap((g) => g.compoundIds)),
				communityIds: unique(led.map((g) => g.communityId))
			};
		}
	}
}

async function withinCommunities(db: Db, communityIds: string[], withGrids: boolean): Promise<Scope> {
	if (communityIds.length === 0) return { all: false, communityIds: [], compoundIds: [], gridIds: [] };
	const inside = await db
		.select({ id: compounds.id })
		.from(compounds)
		.where(and(inArray(compounds.communityId, communityIds), isNull(compounds.deletedAt)));
	const gridRows = withGrids
		? await db
				.select({ id: grids.id })
				.from(grids)
				.where(and(inArray(grids.communityId, communityIds), isNull(grids.deletedAt)))
		: [];
	return {
		all: false,
		communityIds: [...communityIds],
		compoundIds: inside.map((c) => c.id),
		gridIds: gridRows.map((g) => g.id)
	};
}

const unique = <T>(values: T[]) => [...new Set(values)];
