import pino, { type DestinationStream, type LoggerOptions } from 'pino';

/**
 * Structured JSON logs. Secrets never reach a log line: the redact paths cover passwords, cookies,
 * session tokens and resident phone numbers at the top of a logged object and up to two levels down
 * (`body.password`, `req.headers.cookie`, `record.resident.phone`).
 */
const secretFields = [
	'password',
	'passwordHash',
	'token',
	'cookie',
	'authorization',
	'["set-cookie"]',
	'phone'
];

export const logOptions = {
	base: { app: 'gridwalk' },
	redact: {
		paths: secretFields.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
		censor: '[redacted]'
	}
} satisfies LoggerOptions;

const defaultLevel = () => process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');

/** A logger with the app's options; `destination` defaults to stdout, as for `log`. */
export function createLogger(destination?: DestinationStream, level = defaultLevel()) {
	const options = { ...logOptions, level };
	return destination ? pino(options, destination) : pino(options);
}

export const log = createLogger();

export type Logger = typeof log;
