import type { Grid, Place, Team, User } from '$lib/domain';

/**
 * Whether a person may work cases at a place, read from the reference data the device holds (the same
 * scopes the server resolves: a leader's grids, a coordinator's communities). The server checks again.
 */
export function canWorkAt(user: User, grids: readonly Grid[], place: Place): boolean {
	if (!user.active) return false;
	switch (user.role) {
		case 'admin':
			return true;
		case 'coordinator':
			return user.communityIds.includes(place.communityId);
		case 'grid_leader': {
			const led = grids.filter((g) => g.leaderUserId === user.id || user.gridIds.includes(g.id));
			return place.gridId
				? led.some((g) => g.id === place.gridId)
				: led.some((g) => g.compoundIds.includes(place.compoundId));
		}
		case 'volunteer':
			return false;
	}
}

const roleOrder: Readonly<Record<User['role'], number>> = {
	grid_leader: 0,
	coordinator: 1,
	admin: 2,
	volunteer: 3
};

/** Who a case at `place` can go to: grid leaders first, then coordinators, each by name. */
export function assigneeChoices(
	users: readonly User[],
	grids: readonly Grid[],
	place: Place,
	locale: string
): User[] {
	const collator = new Intl.Collator(locale);
	return users
		.filter((user) => canWorkAt(user, grids, place))
		.sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || collator.compare(a.displayName, b.displayName));
}

/** The teams that serve the community a case sits in. */
export function teamChoices(teams: readonly Team[], place: Place): Team[] {
	return teams.filter((team) => team.communityIds.includes(place.communityId));
}
