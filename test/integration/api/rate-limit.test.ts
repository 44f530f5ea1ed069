/**
 * Each pull token has its own token bucket (OCPI_RATE_LIMIT_PER_SECOND / _BURST); callers
 * without a valid token share one per IP address (OCPI_RATE_LIMIT_PER_IP_*). Past the
 * bucket the API answers 429 with the OCPI envelope (status 2000) and Retry-After.
 */
import { CDRS_PATH, VERSIONS_PATH } from '../../../src/api/paths';
import { ocpiGet, PULL_TOKEN, SECOND_TOKEN, startTestApi, type TestApi } from './api-harness';

let api: TestApi;
const THIRD_TOKEN = 'third-hub-token-44b0';

// One request regained every 100 s: within a test, a spent bucket stays spent.
beforeAll(async () => {
  api = await startTestApi({
    env: {
      OCPI_TOKENS: `${PULL_TOKEN},${SECOND_TOKEN},${THIRD_TOKEN}`,
      OCPI_RATE_LIMIT_PER_SECOND: '0.01',
      OCPI_RATE_LIMIT_BURST: '3',
      OCPI_RATE_LIMIT_PER_IP_PER_SECOND: '0.01',
      OCPI_RATE_LIMIT_PER_IP_BURST: '2',
    },
  });
});
afterAll(async () => {
  await api.stop();
});

const pull = (token: string | null) => ocpiGet(`${api.url}${CDRS_PATH}`, token);

test('a token gets its burst, then 429 with status 2000 and a Retry-After in seconds', async () => {
  for (let i = 0; i < 3; i++) expect((await pull(PULL_TOKEN)).status).toBe(200);
  const refused = await pull(PULL_TOKEN);
  expect(refused.status).toBe(429);
  expect(refused.body).toEqual({
    status_code: 2000,
    status_message: expect.stringContaining('too many requests'),
    timestamp: expect.stringMatching(/Z$/),
  });
  expect(refused.headers.get('retry-after')).toBe('100');
});

test("one token spending its bucket leaves another token's untouched", async () => {
  for (let i = 0; i < 4; i++) await pull(SECOND_TOKEN);
  expect((await pull(SECOND_TOKEN)).status).toBe(429);
  expect((await pull(THIRD_TOKEN)).status).toBe(200);
});

test('every endpoint behind the token spends from the same bucket', async () => {
  // THIRD_TOKEN spent 1 of 3 above.
  expect((await ocpiGet(`${api.url}${VERSIONS_PATH}`, THIRD_TOKEN)).status).toBe(200);
  expect((await ocpiGet(`${api.url}${CDRS_PATH}/NO-SUCH-CDR`, THIRD_TOKEN)).status).toBe(404);
  expect((await ocpiGet(`${api.url}${VERSIONS_PATH}`, THIRD_TOKEN)).status).toBe(429);
});

describe('without a valid token', () => {
  test('calls are limited per IP address, wrong tokens and unknown paths alike', async () => {
    expect((await pull('guessed-token-1')).status).toBe(401);
    expect((await ocpiGet(`${api.url}/wp-login.php`, null)).status).toBe(404);
    const refused = await pull('guessed-token-3');
    expect(refused.status).toBe(429);
    expect(refused.body.status_code).toBe(2000);
    expect(refused.headers.get('retry-after')).toBe('100');
  });

  test('a spent address bucket does not stop a valid token from the same address', async () => {
    expect((await pull(null)).status).toBe(429);
    // The other tokens are spent by the tests above; a fresh server shows it plainly.
    const fresh = await startTestApi({
      env: { OCPI_RATE_LIMIT_PER_IP_PER_SECOND: '0.01', OCPI_RATE_LIMIT_PER_IP_BURST: '1' },
    });
    try {
      expect((await ocpiGet(`${fresh.url}${CDRS_PATH}`, 'wrong')).status).toBe(401);
      expect((await ocpiGet(`${fresh.url}${CDRS_PATH}`, 'wrong')).status).toBe(429);
      expect((await ocpiGet(`${fresh.url}${CDRS_PATH}`, PULL_TOKEN)).status).toBe(200);
    } finally {
      await fresh.stop();
    }
  });

  test('the probes are never rate-limited, so a flood cannot make the supervisor restart the service', async () => {
    expect((await pull(null)).status).toBe(429);
    for (let i = 0; i < 5; i++) {
      expect((await ocpiGet(`${api.url}/health`, null)).status).toBe(200);
      expect((await ocpiGet(`${api.url}/ready`, null)).status).toBe(200);
    }
  });
});
