import type {
	Building,
	CaseEvent,
	CaseRecord,
	ChecklistTemplate,
	Community,
	Compound,
	Feedback,
	Grid,
	Observation,
	Patrol,
	Survey,
	Team,
	User,
	Visit
} from '$lib/domain';
import { generateSurveys, planMood, settleSatisfaction } from './assessment';
import { monthStart } from './calendar';
import { generateCases } from './cases';
import { checklistKinds, generateChecklists } from './checklists';
import { Directory } from './directory';
import { generateFieldwork } from './history';
import { Namer, generatePeople } from './people';
import { generatePlaces } from './places';
import { Random } from './random';

export { demoAccounts } from './people';

/** A demo user as generated: no password here, the loader sets those. */
export type DemoUser = User;

export interface DemoDistrict {
	communities: Community[];
	compounds: Compound[];
	buildings: Building[];
	grids: Grid[];
	teams: Team[];
	checklistTemplates: ChecklistTemplate[];
	users: DemoUser[];
	patrols: Patrol[];
	observations: Observation[];
	feedback: Feedback[];
	visits: Visit[];
	surveys: Survey[];
	cases: CaseRecord[];
	caseEvents: CaseEvent[];
}

/** The seed the app loads on first start. */
export const demoSeed = 20_240_915;

/** Months of history before the current one. */
const historyMonths = 4;

/**
 * The demo district around Suzhou, Anhui: pure and deterministic, the same seed and `now` give the
 * same district byte for byte. All history lies in the months before `now`, never after it.
 */
export function generateDistrict(options: { seed: number; now: Date }): DemoDistrict {
	const now = options.now.getTime();
	if (!Number.isFinite(now)) throw new Error('generateDistrict: now is not a valid date');
	const rng = new Random(options.seed);
	const places = generatePlaces(rng.fork('places'));
	const templates = generateChecklists(rng.fork('checklists'));
	const people = generatePeople(rng.fork('people'), places);
	const directory = new Directory(places, people);
	const mood = planMood(rng.fork('mood'), places.compounds, now);
	const fieldwork = generateFieldwork({
		rng: rng.fork('fieldwork'),
		directory,
		namer: new Namer(rng.fork('residents')),
		templates,
		from: monthStart(now, -historyMonths),
		until: now,
		trouble: mood.trouble
	});
	const history = generateCases(rng.fork('cases'), directory, fieldwork, now);
	const surveys = generateSurveys(rng.fork('surveys'), directory, mood, now);
	settleSatisfaction(rng.fork('satisfaction'), history, surveys, mood);

	return {
		communities: places.communities,
		compounds: places.compounds,
		buildings: places.buildings,
		grids: people.grids,
		teams: people.teams,
		checklistTemplates: checklistKinds.map((kind) => templates[kind]),
		users: people.users,
		patrols: fieldwork.patrols,
		observations: fieldwork.observations,
		feedback: fieldwork.feedback,
		visits: fieldwork.visits,
		surveys,
		cases: history.cases,
		caseEvents: history.caseEvents
	};
}
