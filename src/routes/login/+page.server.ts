import { redirect } from '@sveltejs/kit';
import { getApp } from '$lib/server/app';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user) redirect(303, '/');
	const { config } = await getApp();
	return { locale: locals.locale, demo: config.demo };
};
