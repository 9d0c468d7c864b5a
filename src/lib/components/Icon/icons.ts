import type { Category, SubtypeKey } from '$lib/domain';

/**
 * Line icons on a 24 × 24 grid (stroke 2, round), drawn for this form: each a list of SVG path data.
 * Pictures beside the words help where reading is slow (sunlight, a phone held in one hand).
 */
export type IconName = Category | SubtypeKey | 'camera' | 'gallery' | 'pin' | 'back' | 'check' | 'close';

export const icons: Record<IconName, string[]> = {
	parking: [
		'M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
		'M9 17V7h4a3 3 0 0 1 0 6H9'
	],
	sanitation: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13', 'M10 11v6', 'M14 11v6'],
	safety: ['M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z', 'M9 12l2 2 4-4'],
	facility: [
		'M14.7 6.3a4 4 0 0 1 5-1.5l-3 3 .5 2 2 .5 3-3a4 4 0 0 1-5.6 4.5L9.4 19.9a2 2 0 0 1-3-3l7.1-7.1a4 4 0 0 1 1.2-3.5z'
	],
	other: [
		'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z',
		'M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5',
		'M12 17h.01'
	],
	'parking.ebike_outside_bay': [
		'M5.5 13a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7z',
		'M18.5 13a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7z',
		'M5.5 16.5L9 9h6l3.5 7.5',
		'M12 16.5L9 9',
		'M13 5h3l-1 4'
	],
	'parking.fire_lane_blocked': ['M6 3v18', 'M18 3v18', 'M9 9l6 6', 'M15 9l-6 6'],
	'parking.car_on_green': [
		'M4 14l2-5h12l2 5v3H4z',
		'M7 17v2',
		'M17 17v2',
		'M7.5 14h.01',
		'M16.5 14h.01',
		'M3 22l2-2 2 2 2-2 2 2 2-2 2 2 2-2 2 2 2-2 2 2'
	],
	'parking.ebike_charging_indoors': ['M13 2L4 14h7l-1 8 9-12h-7z'],
	'sanitation.overflowing_bin': [
		'M4 10h16',
		'M6 10l1 11h10l1-11',
		'M7 10c0-3 2-5 5-5s5 2 5 5',
		'M9 3l1 2',
		'M15 3l-1 2'
	],
	'sanitation.unsorted_waste': [
		'M3 9h8',
		'M4 9l1 11h4l1-11',
		'M13 9h8',
		'M14 9l1 11h4l1-11',
		'M6 6h2',
		'M16 6h2'
	],
	'sanitation.litter': ['M3 20h18', 'M5 16l3-3 3 3-3 1z', 'M14 17l3-4 3 4z', 'M10 9l2-2 2 2-2 2z'],
	'sanitation.bulky_waste': [
		'M5 11V8a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v3',
		'M3 11h18v6H3z',
		'M5 17v3',
		'M19 17v3'
	],
	'safety.light_broken': [
		'M9 18h6',
		'M10 21h4',
		'M12 3a6 6 0 0 0-4 10.5c.6.6 1 1.5 1 2.5h6c0-1 .4-1.9 1-2.5A6 6 0 0 0 12 3z',
		'M11 7l2 2.5-2 2 1 2'
	],
	'safety.door_access': ['M6 21V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v17', 'M3 21h18', 'M14 12h.01', 'M9 7h3'],
	'safety.cctv_down': [
		'M3 8l13-4 2 6-13 4z',
		'M9 12.5l1.5 4H5',
		'M5 14v6',
		'M18 7l3-1',
		'M16 14l4 4',
		'M20 14l-4 4'
	],
	'safety.fire_hazard': [
		'M12 3c1 4 5 5.5 5 10a5 5 0 0 1-10 0c0-2.5 1.5-3.5 2-5 1 1.5 1.5 2 2.5 2 .5-2-.5-4.5.5-7z'
	],
	'facility.elevator': [
		'M6 3h12a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
		'M9 10l3-3 3 3',
		'M9 14l3 3 3-3'
	],
	'facility.water_leak': ['M12 3s6 7 6 11a6 6 0 0 1-12 0c0-4 6-11 6-11z', 'M9.5 14a2.5 2.5 0 0 0 2.5 2.5'],
	'other.other': [
		'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z',
		'M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5',
		'M12 17h.01'
	],
	camera: [
		'M4 7h3l2-3h6l2 3h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z',
		'M12 9.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7z'
	],
	gallery: [
		'M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
		'M3 16l5-5 5 5',
		'M13 14l2-2 6 6',
		'M15.5 7.5h.01'
	],
	pin: [
		'M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z',
		'M12 7a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z'
	],
	back: ['M15 5l-7 7 7 7'],
	check: ['M5 12l5 5 9-10'],
	close: ['M6 6l12 12', 'M18 6L6 18']
};
