import { loadDeviceSession } from '$lib/client/session';
import type { LayoutLoad } from './$types';

// Every page of the app renders in the browser from the device's data, so it opens with no network.
export const ssr = false;

export const load: LayoutLoad = ({ fetch, url }) => loadDeviceSession(fetch, url);
