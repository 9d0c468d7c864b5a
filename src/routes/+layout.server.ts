import { getApp } from '$lib/server/app';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const { config } = await getApp();
	return { user: locals.user, locale: locals.locale, demo: config.demo };
};
