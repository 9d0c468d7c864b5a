import path from 'node:path';
import { z } from 'zod';
import { defaultPatrolsPlanned, defaultThresholdPercent, type AssessmentPolicy } from '$lib/domain';
import type { ThrottlePolicy } from './auth/throttle';

/** Everything the server reads from its environment, read and checked once at start. */
const envSchema = z.object({
	DATABASE_URL: z.string().url().optional(),
	DATA_DIR: z.string().min(1).default('data'),
	GRIDWALK_DEMO: z.enum(['0', '1']).default('1'),
	DEMO_PASSWORD: z.string().min(8).optional(),
	DEMO_SEED: z.coerce.number().int().default(20261125),
	ADMIN_PASSWORD: z.string().min(8).optional(),
	ORIGIN: z.string().url().optional(),
	PROTOCOL_HEADER: z.string().optional(),
	SESSION_DAYS: z.coerce.number().positive().max(365).default(30),
	LOGIN_FAILURES_PER_USER: z.coerce.number().int().positive().default(5),
	LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
	/** Photos arrive resized (longest side 1600 px), so 10 MB is generous; adapter-node's BODY_SIZE_LIMIT must allow it. */
	MAX_PHOTO_BYTES: z.coerce
		.number()
		.int()
		.positive()
		.default(10 * 1024 * 1024),
	/** Open311 API keys accepted besides those admins issue, comma-separated. */
	OPEN311_API_KEYS: z.string().optional(),
	/** The monthly assessment flags compounds whose satisfaction rate is under this many percent. */
	ASSESSMENT_THRESHOLD: z.coerce.number().min(0).max(100).default(defaultThresholdPercent),
	/** Patrols planned per compound per month: patrol coverage is submitted / planned. */
	ASSESSMENT_PATROLS_PLANNED: z.coerce.number().int().positive().default(defaultPatrolsPlanned),
	/** The district's time zone: reports count in its local days, weeks and months. */
	DISTRICT_TIME_ZONE: z
		.string()
		.default('Asia/Shanghai')
		.refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai')
});

function isTimeZone(name: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: name });
		return true;
	} catch {
		return false;
	}
}

export interface Config {
	databaseUrl?: string;
	dataDir: string;
	demo: boolean;
	demoPassword?: string;
	demoSeed: number;
	adminPassword?: string;
	sessionDays: number;
	/** True when ORIGIN or PROTOCOL_HEADER tells whether requests came over https. */
	knowsScheme: boolean;
	throttle: ThrottlePolicy;
	/** The largest photo `PUT /api/blobs/<sha256>` accepts. */
	maxPhotoBytes: number;
	/** Open311 API keys from the environment (admins also issue keys in the app). */
	open311ApiKeys: string[];
	assessment: AssessmentPolicy;
	timeZone: string;
}

export function readConfig(env: Record<string, string | undefined>): Config {
	const parsed = envSchema.safeParse(
		Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
	);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
		throw new Error(`gridwalk cannot start, the environment is not right: ${problems}`);
	}
	const e = parsed.data;
	return {
		databaseUrl: e.DATABASE_URL,
		dataDir: path.resolve(e.DATA_DIR),
		demo: e.GRIDWALK_DEMO === '1',
		demoPassword: e.DEMO_PASSWORD,
		demoSeed: e.DEMO_SEED,
		adminPassword: e.ADMIN_PASSWORD,
		sessionDays: e.SESSION_DAYS,
		knowsScheme: Boolean(e.ORIGIN || e.PROTOCOL_HEADER),
		throttle: {
			windowMs: 15 * 60_000,
			perUser: e.LOGIN_FAILURES_PER_USER,
			perAddress: e.LOGIN_FAILURES_PER_ADDRESS
		},
		maxPhotoBytes: e.MAX_PHOTO_BYTES,
		open311ApiKeys: (e.OPEN311_API_KEYS ?? '')
			.split(',')
			.map((key) => key.trim())
			.filter(Boolean),
		assessment: { thresholdPercent: e.ASSESSMENT_THRESHOLD, patrolsPlanned: e.ASSESSMENT_PATROLS_PLANNED },
		timeZone: e.DISTRICT_TIME_ZONE
	};
}
