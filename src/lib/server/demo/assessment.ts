import type { CaseRecord, Compound, Survey } from '$lib/domain';
import { DAY, HOUR, hoursFromMonthEdge, monthOf, monthStart } from './calendar';
import type { CaseHistory } from './cases';
import type { Directory } from './directory';
import type { Random } from './random';

/** The satisfaction rate under which a compound is flagged for a talk with its manager (约谈). */
const flagThreshold = 0.6;
/** Months of surveys, the last full month the most recent. */
const surveyMonths = 4;

/**
 * How residents feel, month by month. A few compounds slide over the months and end the last full month
 * under the threshold (the "watch list"); the rest stay content.
 */
export interface Mood {
	watchList: Set<string>;
	lastFullMonth: string;
	/** Chance that an answer from this compound in this month is a 4 or 5. */
	content(compoundId: string, month: string): number;
	/** How troubled a compound is (1 = usual): it sees more problems and complaints. */
	trouble(compoundId: string): number;
}

export function planMood(rng: Random, compounds: Compound[], now: number): Mood {
	const watched = rng.sample(compounds, Math.max(1, Math.round(compounds.length * 0.1)));
	const watchList = new Set(watched.map((c) => c.id));
	const base = new Map(compounds.map((c) => [c.id, rng.float(0.72, 0.95)]));
	const trouble = new Map(
		compounds.map((c) => [c.id, watchList.has(c.id) ? rng.float(1.5, 2) : rng.float(0.6, 1.3)])
	);
	const lastFullMonth = monthOf(monthStart(now, -1));
	return {
		watchList,
		lastFullMonth,
		content(compoundId, month) {
			if (!watchList.has(compoundId)) return base.get(compoundId) ?? 0.8;
			const before = monthsBetween(month, lastFullMonth);
			if (before === 0) return 0.25;
			return before < 0 ? 0.5 : 0.6 + 0.05 * Math.min(before, 4);
		},
		trouble: (compoundId) => trouble.get(compoundId) ?? 1
	};
}

function monthsBetween(from: string, to: string): number {
	const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
	return index(to) - index(from);
}

function score(rng: Random, content: number): number {
	return rng.chance(content)
		? rng.weighted([
				[4, 2],
				[5, 3]
			])
		: rng.weighted([
				[3, 5],
				[2, 3],
				[1, 1]
			]);
}

const clamp = (n: number) => Math.min(5, Math.max(1, n));

/** The monthly assessment survey of each compound, taken by a coordinator of its community late in the month. */
export function generateSurveys(rng: Random, directory: Directory, mood: Mood, now: number): Survey[] {
	const surveys: Survey[] = [];
	for (let back = surveyMonths; back >= 1; back--) {
		const month = monthOf(monthStart(now, -back));
		for (const compound of directory.compounds) {
			const overall = score(rng, mood.content(compound.id, month));
			const watched = mood.watchList.has(compound.id);
			const aspect = (bias = 0) => clamp(overall + rng.int(-1, 1) + bias);
			const takenAt = monthStart(now, 1 - back) - rng.int(2, 6) * DAY + rng.int(9, 17) * HOUR;
			surveys.push({
				id: rng.uuidAt(takenAt),
				compoundId: compound.id,
				month,
				scores: {
					cleanliness: aspect(watched ? -1 : 0),
					safety: aspect(),
					parking: aspect(watched ? -1 : 0),
					responsiveness: aspect(),
					overall
				},
				by: directory.coordinatorsOf(compound.communityId)[0].id
			});
		}
	}
	return surveys;
}

/**
 * Asks residents of closed cases how satisfied they were, then makes sure the last full month tells the
 * story: watched compounds under the threshold, every other compound at or above it.
 * Closings within half a day of a month's edge get no answer, so the month is the same in any time zone.
 */
export function settleSatisfaction(rng: Random, history: CaseHistory, surveys: Survey[], mood: Mood): void {
	const byId = new Map(history.cases.map((c) => [c.id, c]));
	const answers = new Map<string, { get: () => number; set: (n: number) => void }[]>();
	const answer = (compoundId: string, get: () => number, set: (n: number) => void) =>
		answers.set(compoundId, [...(answers.get(compoundId) ?? []), { get, set }]);

	for (const survey of surveys) {
		if (survey.month !== mood.lastFullMonth) continue;
		answer(
			survey.compoundId,
			() => survey.scores.overall,
			(n) => (survey.scores.overall = n)
		);
	}
	for (const closing of history.closings) {
		if (!closing.resident || !rng.chance(0.85) || hoursFromMonthEdge(closing.at) < 12) continue;
		const record: CaseRecord = byId.get(closing.caseId)!;
		const month = monthOf(closing.at);
		record.satisfaction = score(rng, mood.content(record.compoundId, month));
		if (month === mood.lastFullMonth) {
			answer(
				record.compoundId,
				() => record.satisfaction ?? 0,
				(n) => (record.satisfaction = n)
			);
		}
	}

	for (const [compoundId, list] of answers) {
		const watched = mood.watchList.has(compoundId);
		const rate = () => list.filter((a) => a.get() >= 4).length / list.length;
		while (watched ? rate() >= flagThreshold : rate() < flagThreshold) {
			const flip = list.find((a) => (watched ? a.get() >= 4 : a.get() <= 3))!;
			flip.set(watched ? rng.int(2, 3) : rng.int(4, 5));
		}
	}
}
