/**
 * Logs are JSON lines, and no token ever reaches them: not in a credential-named field at
 * any depth, not in a message, not inside an error, not as an HTTP credential.
 */
import { captureLogger } from './log-lines';

const IOP_TOKEN = 'iop-secret-7f3a9c1e';
const PULL_TOKEN = 'gireve-pull-2b8d44aa';
const METRICS_TOKEN = 'metrics-scrape-0c5e91f7';
const SECRETS = [IOP_TOKEN, PULL_TOKEN, METRICS_TOKEN];

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

test('writes one JSON object per line with level name, time, process name and message', () => {
  const log = captureLogger();
  log.logger.info({ operator: 'FR*ABC', cdrId: 'CDR-1' }, 'CDR delivered');
  expect(log.lines()).toEqual([
    expect.objectContaining({ level: 'info', name: 'test', operator: 'FR*ABC', cdrId: 'CDR-1', msg: 'CDR delivered' }),
  ]);
  expect(log.lines()[0]?.time).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/));
});

test('never writes a token held in a credential-named field, at any depth', () => {
  const log = captureLogger(SECRETS);
  log.logger.info(
    {
      token: PULL_TOKEN,
      IOP_TOKEN,
      env: { OCPI_TOKENS: `${PULL_TOKEN},other=FR*DEF`, METRICS_TOKEN },
      request: { headers: { authorization: `Token ${PULL_TOKEN}`, Authorization: `Bearer ${METRICS_TOKEN}` } },
      deep: { a: { b: { c: { iopToken: IOP_TOKEN } } } },
      list: [{ token: IOP_TOKEN }],
    },
    'configuration read',
  );
  expectNoSecret(log.text());
  const [line] = log.lines();
  expect(line).toMatchObject({ token: '[Redacted]', IOP_TOKEN: '[Redacted]', env: { OCPI_TOKENS: '[Redacted]' } });
});

test('never writes a known token wherever its value appears: message, URL, unrelated field', () => {
  const log = captureLogger(SECRETS);
  log.logger.warn({ url: `https://iop.example/cdrs?access=${IOP_TOKEN}`, note: `pulled with ${PULL_TOKEN}` }, `retrying with ${IOP_TOKEN}`);
  expectNoSecret(log.text());
  expect(log.text()).toContain('[Redacted]');
});

test('never writes a token carried inside an error, whether logged as err or error', () => {
  const log = captureLogger(SECRETS);
  const failure = Object.assign(new Error(`IOP refused Token ${IOP_TOKEN}`), { headers: { authorization: `Token ${IOP_TOKEN}` } });
  log.logger.error({ err: failure }, 'POST failed');
  log.logger.error({ error: new Error(`bad header ${METRICS_TOKEN}`) }, 'scrape failed');
  expectNoSecret(log.text());
  const [first, second] = log.lines();
  expect(first).toMatchObject({ err: { type: 'Error', message: expect.stringContaining('IOP refused') } });
  expect(second).toMatchObject({ error: { type: 'Error', stack: expect.any(String) } });
});

test('masks any HTTP credential, even a token the process does not know', () => {
  const log = captureLogger();
  log.logger.info({ header: 'Token presented-by-a-stranger', auth: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' }, 'request seen');
  expect(log.text()).not.toContain('presented-by-a-stranger');
  expect(log.text()).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  expect(log.lines()[0]).toMatchObject({ header: 'Token [Redacted]', auth: 'Bearer [Redacted]' });
});

test('leaves prose about tokens and the fields operators search by untouched', () => {
  const log = captureLogger(SECRETS);
  log.logger.error({ operator: 'FR*ABC', cdrId: 'CDR-9', sessionId: 'S-9' }, 'IOP refuses our token');
  expect(log.lines()[0]).toMatchObject({ operator: 'FR*ABC', cdrId: 'CDR-9', sessionId: 'S-9', msg: 'IOP refuses our token' });
});

test('does not change the object the caller logged', () => {
  const log = captureLogger(SECRETS);
  const fields = { headers: { authorization: `Token ${IOP_TOKEN}` } };
  log.logger.info(fields, 'request');
  expect(fields.headers.authorization).toBe(`Token ${IOP_TOKEN}`);
});

test('survives a cyclic object', () => {
  const log = captureLogger();
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  log.logger.info({ cyclic }, 'cycle');
  expect(log.lines()[0]).toMatchObject({ cyclic: { name: 'loop', self: '[Elided]' } });
});

test('writes nothing below the configured level', () => {
  const log = captureLogger([], 'warn');
  log.logger.info('hidden');
  log.logger.warn('shown');
  expect(log.lines().map((line) => line.msg)).toEqual(['shown']);
});

test('an error logged on its own comes out with type, message and stack', () => {
  const log = captureLogger(SECRETS);
  log.logger.error(new Error(`connect failed for ${IOP_TOKEN}`));
  expectNoSecret(log.text());
  expect(log.lines()[0]).toMatchObject({ err: { type: 'Error', message: 'connect failed for [Redacted]', stack: expect.any(String) } });
});
