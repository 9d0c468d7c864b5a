import type { Community, Grid, Team, User } from '$lib/domain';
import { givenNameCharacters, surnames, teamNames } from './names';
import type { Places } from './places';
import type { Random } from './random';

/** The four accounts the demo prints at start, one per role. */
export const demoAccounts = {
	admin: 'admin',
	coordinator: 'coordinator',
	leader: 'leader',
	volunteer: 'volunteer'
} as const;

export interface People {
	teams: Team[];
	users: User[];
	/** The grids again, each with its leader. */
	grids: Grid[];
}

const stationCount = 27;
const volunteersPerTeam = 10;
/** Of two neighbouring grids in one compound, how often one person leads both. */
const twoGridChance = 0.1;

/** Chinese names, and pinyin usernames made unique with a number where two people share a name. */
export class Namer {
	#taken = new Set<string>(Object.values(demoAccounts));
	#rng: Random;

	constructor(rng: Random) {
		this.#rng = rng;
	}

	person(): { displayName: string; username: string } {
		const [surname, surnamePinyin] = this.#rng.weighted(surnames.map((s, i) => [s, 1 / (i + 4)] as const));
		const given = Array.from({ length: this.#rng.chance(0.7) ? 2 : 1 }, () =>
			this.#rng.pick(givenNameCharacters)
		);
		const base = surnamePinyin + given.map(([, pinyin]) => pinyin).join('');
		let username = base;
		for (let n = 2; this.#taken.has(username); n++) username = `${base}${n}`;
		this.#taken.add(username);
		return { displayName: surname + given.map(([character]) => character).join(''), username };
	}

	/** A resident's name only: residents have no account. */
	residentName(): string {
		const [surname] = this.#rng.weighted(surnames.map((s, i) => [s, 1 / (i + 4)] as const));
		return (
			surname +
			(this.#rng.chance(0.5)
				? this.#rng.pick(['女士', '先生', '阿姨', '大爷'])
				: this.#rng.pick(givenNameCharacters)[0])
		);
	}
}

export function generatePeople(rng: Random, places: Places): People {
	const namer = new Namer(rng);
	const { communities } = places;
	const account = (role: User['role'], fixed?: string): User => {
		const { displayName, username } = namer.person();
		return {
			id: rng.uuid(),
			username: fixed ?? username,
			displayName,
			role,
			teamId: null,
			gridIds: [],
			communityIds: [],
			active: true
		};
	};

	const admin = account('admin', demoAccounts.admin);
	const coordinators = stations(rng, communities).map((served, i) => ({
		...account('coordinator', i === 0 ? demoAccounts.coordinator : undefined),
		communityIds: served.map((c) => c.id)
	}));

	const teams = teamsOver(rng, communities);
	const volunteers = teams.flatMap((team, t) =>
		Array.from({ length: volunteersPerTeam }, (_, i) => ({
			...account('volunteer', t === 0 && i === 0 ? demoAccounts.volunteer : undefined),
			teamId: team.id
		}))
	);

	const { leaders, grids } = leadersFor(rng, places, account);
	return { teams, users: [admin, ...coordinators, ...leaders, ...volunteers], grids };
}

/**
 * Service stations (服务站): the first, the demo coordinator's, serves three communities,
 * ten serve two and the rest one, so 27 stations cover the 39 communities.
 */
function stations(rng: Random, communities: Community[]): Community[][] {
	const rest = communities.slice(3);
	const doubles = new Set(rng.sample([...Array(stationCount - 1).keys()], rest.length - (stationCount - 1)));
	const served: Community[][] = [communities.slice(0, 3)];
	let next = 0;
	for (let s = 0; s < stationCount - 1; s++) {
		const size = doubles.has(s) ? 2 : 1;
		served.push(rest.slice(next, next + size));
		next += size;
	}
	return served;
}

/** Six teams, each over a run of neighbouring communities; the first includes the demo coordinator's. */
function teamsOver(rng: Random, communities: Community[]): Team[] {
	const sizes = rng.shuffle([7, 7, 7, 6, 6, 6]);
	let next = 0;
	return teamNames.map((name, i) => {
		const covered = communities.slice(next, next + sizes[i]);
		next += sizes[i];
		return { id: rng.uuid(), name, communityIds: covered.map((c) => c.id) };
	});
}

/** One leader per grid; a few look after two neighbouring grids of one compound, the demo leader among them. */
function leadersFor(rng: Random, places: Places, account: (role: User['role'], fixed?: string) => User) {
	const byCompound = new Map<string, Grid[]>();
	for (const grid of places.grids) {
		const key = grid.compoundIds[0];
		byCompound.set(key, [...(byCompound.get(key) ?? []), grid]);
	}
	const home = places.communities[0].id;
	const homeGrids = [...byCompound.values()].filter((grids) => grids[0].communityId === home);
	const demoCompound = homeGrids.find((grids) => grids.length >= 2) ?? homeGrids[0];
	const groups: Grid[][] = [];
	for (const grids of byCompound.values()) {
		for (let i = 0; i < grids.length; i++) {
			const takeTwo =
				i + 1 < grids.length && ((grids === demoCompound && i === 0) || rng.chance(twoGridChance));
			groups.push(takeTwo ? [grids[i], grids[++i]] : [grids[i]]);
		}
	}
	const demoGroup = groups.find((g) => g[0] === demoCompound[0])!;
	const leaderOf = new Map<string, string>();
	const leaders = [demoGroup, ...groups.filter((g) => g !== demoGroup)].map((group) => {
		const leader = {
			...account('grid_leader', group === demoGroup ? demoAccounts.leader : undefined),
			gridIds: group.map((g) => g.id)
		};
		for (const g of group) leaderOf.set(g.id, leader.id);
		return leader;
	});
	return { leaders, grids: places.grids.map((g) => ({ ...g, leaderUserId: leaderOf.get(g.id)! })) };
}
