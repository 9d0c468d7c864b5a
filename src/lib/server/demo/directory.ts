import type { Building, Compound, Grid, Team, User } from '$lib/domain';
import { ringOf, type Point } from './geometry';
import type { People } from './people';
import type { Places } from './places';

/** Lookups over the reference data, so the history can ask "who may record here?" and "where is this?". */
export class Directory {
	readonly compounds: Compound[];
	readonly leaders: User[];
	readonly volunteers: User[];
	#compound = new Map<string, Compound>();
	#building = new Map<string, Building>();
	#grid = new Map<string, Grid>();
	#user = new Map<string, User>();
	#buildingsOfCompound = new Map<string, Building[]>();
	#buildingsOfGrid = new Map<string, Building[]>();
	#coordinatorsOfCommunity = new Map<string, User[]>();
	#teamOfCommunity = new Map<string, Team>();
	#volunteersOfTeam = new Map<string, User[]>();
	#compoundsOfTeam = new Map<string, Compound[]>();
	#rings = new Map<string, Point[]>();

	constructor(places: Places, people: People) {
		this.compounds = places.compounds;
		this.leaders = people.users.filter((u) => u.role === 'grid_leader');
		this.volunteers = people.users.filter((u) => u.role === 'volunteer');
		for (const c of places.compounds) this.#compound.set(c.id, c);
		for (const g of people.grids) this.#grid.set(g.id, g);
		for (const u of people.users) this.#user.set(u.id, u);
		for (const b of places.buildings) {
			this.#building.set(b.id, b);
			push(this.#buildingsOfCompound, b.compoundId, b);
			push(this.#buildingsOfGrid, b.gridId, b);
		}
		for (const u of people.users) {
			if (u.role === 'coordinator')
				for (const id of u.communityIds) push(this.#coordinatorsOfCommunity, id, u);
			if (u.role === 'volunteer' && u.teamId) push(this.#volunteersOfTeam, u.teamId, u);
		}
		for (const t of people.teams) {
			for (const id of t.communityIds) this.#teamOfCommunity.set(id, t);
			this.#compoundsOfTeam.set(
				t.id,
				places.compounds.filter((c) => t.communityIds.includes(c.communityId))
			);
		}
	}

	compound(id: string): Compound {
		return found(this.#compound.get(id), id);
	}

	building(id: string): Building {
		return found(this.#building.get(id), id);
	}

	grid(id: string): Grid {
		return found(this.#grid.get(id), id);
	}

	user(id: string): User {
		return found(this.#user.get(id), id);
	}

	buildingsOfCompound(compoundId: string): Building[] {
		return this.#buildingsOfCompound.get(compoundId) ?? [];
	}

	buildingsOfGrid(gridId: string): Building[] {
		return this.#buildingsOfGrid.get(gridId) ?? [];
	}

	leaderOf(gridId: string): User {
		const id = this.grid(gridId).leaderUserId;
		return this.user(found(id ?? undefined, gridId));
	}

	coordinatorsOf(communityId: string): User[] {
		return this.#coordinatorsOfCommunity.get(communityId) ?? [];
	}

	teamOf(communityId: string): Team {
		return found(this.#teamOfCommunity.get(communityId), communityId);
	}

	volunteersOf(teamId: string): User[] {
		return this.#volunteersOfTeam.get(teamId) ?? [];
	}

	/** Compounds a volunteer of this team may record in: those of the team's communities. */
	compoundsOfTeam(teamId: string): Compound[] {
		return found(this.#compoundsOfTeam.get(teamId), teamId);
	}

	/** The compound's outline in metres, for placing things inside it. */
	ring(compoundId: string): Point[] {
		let ring = this.#rings.get(compoundId);
		if (!ring) {
			const boundary = this.compound(compoundId).boundary;
			if (!boundary) throw new Error(`compound ${compoundId} has no boundary`);
			ring = ringOf(boundary);
			this.#rings.set(compoundId, ring);
		}
		return ring;
	}
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

function found<T>(value: T | undefined, id: string): T {
	if (value === undefined) throw new Error(`demo district: nothing found for ${id}`);
	return value;
}
