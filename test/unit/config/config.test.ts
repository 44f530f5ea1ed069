import { apiConfig, databaseConfig, intakeConfig, iopConfig, temporalConfig } from '../../../src/config/index';
import { configErrorMessage } from './config-error-message';

const iopEnv = { IOP_CDRS_URL: 'https://iop.example/ocpi/emsp/2.1.1/cdrs', IOP_TOKEN: 'secret-token-123' };

const messageOf = configErrorMessage;

test('names a missing variable', () => {
  expect(messageOf(() => databaseConfig({}))).toMatch(/DATABASE_URL: is required/);
  expect(messageOf(() => iopConfig({ IOP_TOKEN: 'x' }))).toMatch(/IOP_CDRS_URL: is required/);
});

test('names the variable and the rule of a bad value, and lists every bad one', () => {
  const message = messageOf(() => iopConfig({ ...iopEnv, IOP_REQUEST_TIMEOUT_MS: 'soon', IOP_RETRY_MAX_MS: '-1' }));
  expect(message).toMatch(/IOP_REQUEST_TIMEOUT_MS: /);
  expect(message).toMatch(/IOP_RETRY_MAX_MS: must be >= 10/);
  expect(messageOf(() => temporalConfig({ TEMPORAL_ADDRESS: 'nohost' }))).toMatch(/TEMPORAL_ADDRESS: must be host:port/);
  expect(messageOf(() => databaseConfig({ DATABASE_URL: 'mysql://x' }))).toMatch(/DATABASE_URL: must be a postgres/);
});

test('never echoes a token in its errors', () => {
  const message = messageOf(() => iopConfig({ ...iopEnv, IOP_CDRS_URL: 'not a url' }));
  expect(message).not.toContain(iopEnv.IOP_TOKEN);
});

test('refuses a user name or password inside a URL, without echoing it', () => {
  for (const url of ['https://user:hunter2@iop.example/cdrs', 'https://only-user@iop.example/cdrs']) {
    const message = messageOf(() => iopConfig({ ...iopEnv, IOP_CDRS_URL: url }));
    expect(message).toMatch(/IOP_CDRS_URL: must not carry a user name or password/);
    expect(message).not.toContain('hunter2');
  }
  expect(messageOf(() => iopConfig({ ...iopEnv, IOP_CDR_CHECK_URL_TEMPLATE: 'https://u:p@iop.example/cdrs/{cdr_id}' }))).toMatch(
    /IOP_CDR_CHECK_URL_TEMPLATE: must be an http\(s\) URL/,
  );
  expect(messageOf(() => apiConfig({ OCPI_BASE_URL: 'https://u:p@cdrflow.example' }))).toMatch(/OCPI_BASE_URL: must not carry/);
});

test('refuses plain http to a non-loopback IOP unless explicitly allowed', () => {
  const plain = { ...iopEnv, IOP_CDRS_URL: 'http://iop.example/cdrs' };
  expect(messageOf(() => iopConfig(plain))).toMatch(/IOP_CDRS_URL: must use https/);
  expect(iopConfig({ ...plain, IOP_ALLOW_INSECURE_HTTP: 'true' }).cdrsUrl).toBe('http://iop.example/cdrs');
});

test('keeps IOP_CDRS_URL exactly as configured, a trailing slash included', () => {
  expect(iopConfig({ ...iopEnv, IOP_CDRS_URL: 'http://127.0.0.1:9000/cdrs/' }).cdrsUrl).toBe('http://127.0.0.1:9000/cdrs/');
  expect(iopConfig(iopEnv).cdrsUrl).toBe(iopEnv.IOP_CDRS_URL);
});

test('derives the check URL template from the CDR endpoint by default, with one slash before {cdr_id}', () => {
  expect(iopConfig(iopEnv).checkUrlTemplate).toBe(`${iopEnv.IOP_CDRS_URL}/{cdr_id}`);
  expect(iopConfig({ ...iopEnv, IOP_CDRS_URL: `${iopEnv.IOP_CDRS_URL}/` }).checkUrlTemplate).toBe(`${iopEnv.IOP_CDRS_URL}/{cdr_id}`);
  expect(iopConfig({ ...iopEnv, IOP_CDRS_URL: `${iopEnv.IOP_CDRS_URL}/?tenant=7` }).checkUrlTemplate).toBe(
    `${iopEnv.IOP_CDRS_URL}/{cdr_id}?tenant=7`,
  );
  expect(messageOf(() => iopConfig({ ...iopEnv, IOP_CDR_CHECK_URL_TEMPLATE: 'https://x/cdrs' }))).toMatch(
    /IOP_CDR_CHECK_URL_TEMPLATE: must contain \{cdr_id\}/,
  );
});

test('holds IOP_CDR_CHECK_URL_TEMPLATE to the rules of IOP_CDRS_URL: the token goes there too', () => {
  const template = (value: string, extra: Record<string, string> = {}) =>
    iopConfig({ ...iopEnv, IOP_CDR_CHECK_URL_TEMPLATE: value, ...extra }).checkUrlTemplate;
  expect(template('https://iop.example/check/{cdr_id}')).toBe('https://iop.example/check/{cdr_id}');
  expect(messageOf(() => template('ftp://iop.example/{cdr_id}'))).toMatch(/IOP_CDR_CHECK_URL_TEMPLATE: must be an http\(s\) URL/);
  expect(messageOf(() => template('/check/{cdr_id}'))).toMatch(/IOP_CDR_CHECK_URL_TEMPLATE: must be an http\(s\) URL/);
  expect(messageOf(() => template('http://iop.example/{cdr_id}'))).toMatch(/IOP_CDR_CHECK_URL_TEMPLATE: must use https/);
  expect(template('http://iop.example/{cdr_id}', { IOP_ALLOW_INSECURE_HTTP: 'true' })).toBe('http://iop.example/{cdr_id}');
  expect(template('http://127.0.0.1:9000/{cdr_id}')).toBe('http://127.0.0.1:9000/{cdr_id}');
});

test('applies documented defaults', () => {
  expect(temporalConfig({})).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'cdrflow', tls: null, apiKey: null });
  expect(iopConfig(iopEnv)).toMatchObject({ requestTimeoutMs: 10_000, retryInitialMs: 1_000, retryMaxMs: 60_000 });
  expect(apiConfig({ OCPI_TOKENS: 'a' })).toMatchObject({ port: 8080, defaultLimit: 20 });
});

describe('INTAKE_TOKENS', () => {
  test('reads each entry as a token, optionally scoped to CPO parties like OCPI_TOKENS', () => {
    const { enabled, clients } = intakeConfig({ INTAKE_TOKENS: 'backend-a, backend-b=FR*ABC+fr*def' });
    expect(enabled).toBe(true);
    expect(clients.map((client) => [client.token, client.sees])).toEqual([
      ['backend-a', 'all'],
      [
        'backend-b',
        [
          { country_code: 'FR', party_id: 'ABC' },
          { country_code: 'FR', party_id: 'DEF' },
        ],
      ],
    ]);
  });

  test('unset or blank turns the intake off', () => {
    expect(intakeConfig({})).toMatchObject({ enabled: false, clients: [] });
    expect(intakeConfig({ INTAKE_TOKENS: ' , ' })).toMatchObject({ enabled: false, clients: [] });
  });

  test('names the variable and the faulty entry, never its token', () => {
    const message = messageOf(() => intakeConfig({ INTAKE_TOKENS: 'fine-token,secret-backend-token=FRABC' }));
    expect(message).toMatch(/INTAKE_TOKENS: entry 2: .*FR\*ABC\+FR\*DEF/);
    expect(message).not.toContain('secret-backend-token');
  });
});

test('IOP_TO_PARTY: the hub every 2.2.1 request of the IOP_* receiver is addressed to; a bad value names the rule', () => {
  expect(iopConfig({ ...iopEnv, IOP_TO_PARTY: 'fr*107' }).toParty).toEqual({ country_code: 'FR', party_id: '107' });
  expect(iopConfig(iopEnv).toParty).toBeNull();
  expect(messageOf(() => iopConfig({ ...iopEnv, IOP_TO_PARTY: 'GIREVE' }))).toMatch(/IOP_TO_PARTY: must be a country code and a party id/);
});
