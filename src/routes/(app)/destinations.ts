import type { Role } from '$lib/domain';
import type { MessageKey } from '$lib/i18n';

/** Where each role can go from the home page; `ready` is false until that part of the app ships. */
export interface Destination {
	path: string;
	label: MessageKey;
	hint: MessageKey;
	roles: readonly Role[];
	ready: boolean;
}

const field: readonly Role[] = ['volunteer', 'grid_leader', 'coordinator', 'admin'];
const leaders: readonly Role[] = ['grid_leader', 'coordinator', 'admin'];
const reviewers: readonly Role[] = ['coordinator', 'admin'];

export const destinations: Destination[] = [
	{ path: '/observe', label: 'nav.observe', hint: 'nav.observe.hint', roles: field, ready: true },
	{ path: '/patrol', label: 'nav.patrol', hint: 'nav.patrol.hint', roles: field, ready: true },
	{ path: '/feedback', label: 'nav.feedback', hint: 'nav.feedback.hint', roles: field, ready: true },
	{ path: '/visit', label: 'nav.visit', hint: 'nav.visit.hint', roles: leaders, ready: true },
	{ path: '/cases', label: 'nav.cases', hint: 'nav.cases.hint', roles: leaders, ready: true },
	{ path: '/review', label: 'nav.review', hint: 'nav.review.hint', roles: reviewers, ready: true },
	{
		path: '/review/cases',
		label: 'nav.reviewCases',
		hint: 'nav.reviewCases.hint',
		roles: reviewers,
		ready: true
	},
	{
		path: '/review/assessment',
		label: 'nav.assessment',
		hint: 'nav.assessment.hint',
		roles: reviewers,
		ready: true
	},
	{
		path: '/review/checklists',
		label: 'nav.checklists',
		hint: 'nav.checklists.hint',
		roles: reviewers,
		ready: true
	},
	{ path: '/review/audit', label: 'nav.audit', hint: 'nav.audit.hint', roles: ['admin'], ready: true },
	{
		path: '/review/reference',
		label: 'nav.reference',
		hint: 'nav.reference.hint',
		roles: ['admin'],
		ready: true
	},
	{ path: '/review/open311', label: 'nav.open311', hint: 'nav.open311.hint', roles: ['admin'], ready: true },
	{ path: '/map', label: 'nav.map', hint: 'nav.map.hint', roles: field, ready: true },
	{ path: '/mine', label: 'nav.mine', hint: 'nav.mine.hint', roles: field, ready: true },
	{ path: '/settings', label: 'nav.settings', hint: 'nav.settings.hint', roles: field, ready: true }
];

export const destinationsFor = (role: Role) => destinations.filter((d) => d.roles.includes(role));
