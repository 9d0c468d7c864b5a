import { deviceDb } from '$lib/client/device';
import { mapSource } from '$lib/client/map/mapSource';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	// Leaflet comes with this page only (no other route's JavaScript carries it), fetched from here on,
	// while the app's layout is still asking who is signed in.
	const leaflet = import('$lib/client/map/districtMap').then((module) => {
		// For `npm run bench`: when Leaflet had loaded, beside when the map had drawn.
		performance.mark('gridwalk:map-code');
		return module;
	});
	// The device's rows are the signed-in person's only once the layout has said who that is (a new person
	// on the device clears the previous one's): read from then on, while the page mounts.
	await parent();
	return { source: mapSource(deviceDb()), leaflet };
};
