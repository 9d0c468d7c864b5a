import pino from 'pino';

/**
 * Structured JSON logs. Secrets never reach a log line: the redact paths cover passwords, cookies,
 * session tokens and resident phone numbers wherever they appear in a logged object.
 */
export const log = pino({
	level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
	base: { app: 'gridwalk' },
	redact: {
		paths: [
			'password',
			'*.password',
			'passwordHash',
			'*.passwordHash',
			'token',
			'*.token',
			'cookie',
			'*.cookie',
			'headers.cookie',
			'*.headers.cookie',
			'headers.authorization',
			'phone',
			'*.phone',
			'*.*.phone',
			'resident.phone',
			'*.resident.phone'
		],
		censor: '[redacted]'
	}
});

export type Logger = typeof log;
