import { deviceDb } from '$lib/client/device';
import { mapSource } from '$lib/client/map/mapSource';
import { rememberedPerson } from '$lib/client/session';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	// Leaflet comes with this page only (no other route's JavaScript carries it), fetched from here on,
	// while the app's layout is still asking who is signed in.
	const leaflet = import('$lib/client/map/districtMap').then((module) => {
		// For `npm run bench`: when Leaflet had loaded, beside when the map had drawn.
		performance.mark('gridwalk:map-code');
		return module;
	});
	// The rows are read from here on too, while the layout asks the server who is signed in. They are the
	// person's the device remembers, nearly always the one signed in; when another person has signed in,
	// the layout clears the device for them, and the rows read before that are dropped and read afresh.
	const early = rememberedPerson() ? mapSource(deviceDb()) : null;
	const { deviceCleared } = await parent();
	if (early && !deviceCleared) return { source: early, leaflet };
	early?.close();
	return { source: mapSource(deviceDb()), leaflet };
};
