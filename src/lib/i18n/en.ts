import type { MessageKey } from './zh-CN';

export const en: Record<MessageKey, string> = {
	'app.name': 'gridwalk',
	'error.unauthenticated': 'Please log in first.',
	'error.forbidden': 'You are not allowed to do this.',
	'error.badJson': 'The request body is not valid JSON.',
	'error.badRequest': 'The request is not right: {details}',
	'error.tooLarge': 'The request is too large (limit {limit}).',
	'error.notFound': 'That page or record does not exist.',
	'error.internal': 'Something went wrong on the server. Please try again later. Your data is saved on this device.',
	'error.badCredentials': 'Wrong username or password.',
	'error.throttled': 'Too many attempts. Please try again in {seconds} seconds.',
	'error.inactive': 'This account is disabled. Please contact an administrator.',
	'error.crossSite': 'Cross-site request refused.'
};
