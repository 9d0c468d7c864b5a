import { describe, expect, it } from 'vitest';
import { createLogger } from './log';

/** A logger exactly like `log` but at info level, writing its JSON lines into memory. */
function capture() {
	const lines: string[] = [];
	const logger = createLogger({ write: (line: string) => void lines.push(line) }, 'info');
	return {
		logger,
		text: () => lines.join(''),
		entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)
	};
}

const password = 'hunter2-correct-horse';
const passwordHash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
const token = 'tok_Xq9vB7mK2pL4sN8wR1yT6uE3';
const cookie = `gridwalk_session=${token}; lang=en`;
const phone = '13812345678';

const secrets = [password, passwordHash, token, phone];

describe('log redaction', () => {
	const cases: { name: string; logged: Record<string, unknown> }[] = [
		{ name: 'a password', logged: { username: 'wangfang', password } },
		{ name: 'a password in a request body', logged: { body: { username: 'wangfang', password } } },
		{ name: 'a password two levels down', logged: { req: { body: { username: 'wangfang', password } } } },
		{ name: 'a stored password hash', logged: { user: { username: 'wangfang', passwordHash } } },
		{ name: 'a session token', logged: { username: 'wangfang', token } },
		{ name: 'a session token inside a session', logged: { session: { username: 'wangfang', token } } },
		{ name: 'a cookie', logged: { username: 'wangfang', cookie } },
		{ name: 'a cookie header', logged: { username: 'wangfang', headers: { cookie } } },
		{
			name: 'a cookie header of a request',
			logged: { req: { username: 'wangfang', headers: { cookie, 'user-agent': 'Mozilla/5.0' } } }
		},
		{
			name: 'a set-cookie header of a response',
			logged: { res: { username: 'wangfang', headers: { 'set-cookie': cookie } } }
		},
		{
			name: 'an authorization header',
			logged: { username: 'wangfang', headers: { authorization: `Bearer ${token}` } }
		},
		{
			name: 'an authorization header of a request',
			logged: { req: { username: 'wangfang', headers: { authorization: `Bearer ${token}` } } }
		},
		{ name: "a resident's phone", logged: { username: 'wangfang', resident: { name: '李女士', phone } } },
		{
			name: "a resident's phone inside a record",
			logged: { username: 'wangfang', record: { resident: { name: '李女士', phone } } }
		},
		{
			name: 'phones in a list of residents',
			logged: { username: 'wangfang', residents: [{ name: '李女士', phone }] }
		}
	];

	it.each(cases)('never writes $name, and keeps the other fields', ({ logged }) => {
		const { logger, text } = capture();
		logger.info(logged, 'something happened');
		const output = text();
		for (const secret of secrets) expect(output).not.toContain(secret);
		expect(output).toContain('wangfang');
		expect(output).toContain('something happened');
	});

	it('marks what it removed, so a reader sees a field was there', () => {
		const { logger, entries } = capture();
		logger.info({ body: { username: 'wangfang', password }, resident: { name: '李女士', phone } }, 'saved');
		const [entry] = entries();
		expect(entry.body).toEqual({ username: 'wangfang', password: '[redacted]' });
		expect(entry.resident).toEqual({ name: '李女士', phone: '[redacted]' });
		expect(entry.app).toBe('gridwalk');
		expect(entry.msg).toBe('saved');
	});

	it('leaves the logged object itself untouched', () => {
		const { logger } = capture();
		const logged = { body: { password }, record: { resident: { phone } } };
		logger.info(logged, 'saved');
		expect(logged).toEqual({ body: { password }, record: { resident: { phone } } });
	});

	it('keeps ordinary request lines whole', () => {
		const { logger, entries } = capture();
		logger.info({ reqId: 'r-1', method: 'POST', path: '/api/auth/login', status: 200, ms: 12 }, 'request');
		expect(entries()).toEqual([
			expect.objectContaining({ reqId: 'r-1', method: 'POST', path: '/api/auth/login', status: 200, ms: 12 })
		]);
	});
});
