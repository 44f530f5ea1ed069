/**
 * Only a holder of a configured token pulls CDRs: `Authorization: Token <token>`
 * (OCPI 2.1.1, token sent as is). Probes stay open for the supervisor.
 */
import { CDRS_PATH, VERSION_DETAILS_PATH, VERSIONS_PATH } from '../../../src/api/paths';
import { ocpiGet, PULL_TOKEN, SECOND_TOKEN, startTestApi, storeCdr, type TestApi } from './api-harness';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await storeCdr(api.db.pool, 'AUTH-1', new Date('2024-02-01T00:00:00Z'));
});
afterAll(async () => {
  await api.stop();
});

const protectedPaths = [VERSIONS_PATH, VERSION_DETAILS_PATH, CDRS_PATH, `${CDRS_PATH}/AUTH-1`];

async function expectUnauthorized(path: string, headers: Record<string, string>): Promise<void> {
  const answer = await ocpiGet(`${api.url}${path}`, null, headers);
  expect(answer.status).toBe(401);
  expect(answer.headers.get('www-authenticate')).toBe('Token');
  expect(answer.body).toEqual({
    status_code: 2000,
    status_message: expect.stringContaining('unauthorized'),
    timestamp: expect.any(String),
  });
}

test.each(protectedPaths)('%s refuses a request without Authorization header with 401 and status 2000', async (path) => {
  await expectUnauthorized(path, {});
});

test.each(protectedPaths)('%s refuses a wrong token with 401', async (path) => {
  await expectUnauthorized(path, { Authorization: 'Token not-the-token' });
});

test('the Bearer scheme is refused even with the right token', async () => {
  await expectUnauthorized(CDRS_PATH, { Authorization: `Bearer ${PULL_TOKEN}` });
});

test('a prefix, an extension or the base64 form of the right token is refused', async () => {
  await expectUnauthorized(CDRS_PATH, { Authorization: `Token ${PULL_TOKEN.slice(0, -1)}` });
  await expectUnauthorized(CDRS_PATH, { Authorization: `Token ${PULL_TOKEN}x` });
  await expectUnauthorized(CDRS_PATH, { Authorization: `Token ${Buffer.from(PULL_TOKEN).toString('base64')}` });
});

test('a header with the scheme only, or two tokens, is refused', async () => {
  await expectUnauthorized(CDRS_PATH, { Authorization: 'Token' });
  await expectUnauthorized(CDRS_PATH, { Authorization: 'Token ' });
  await expectUnauthorized(CDRS_PATH, { Authorization: `Token ${PULL_TOKEN} ${SECOND_TOKEN}` });
  await expectUnauthorized(CDRS_PATH, { Authorization: PULL_TOKEN });
});

test('every configured token is accepted', async () => {
  expect((await ocpiGet(`${api.url}${CDRS_PATH}`, PULL_TOKEN)).status).toBe(200);
  expect((await ocpiGet(`${api.url}${CDRS_PATH}`, SECOND_TOKEN)).status).toBe(200);
});

test('the scheme name is case-insensitive, as HTTP defines it', async () => {
  const answer = await ocpiGet(`${api.url}${CDRS_PATH}`, null, { Authorization: `token ${PULL_TOKEN}` });
  expect(answer.status).toBe(200);
});

test('an unauthorized request learns nothing about the parameters it sent', async () => {
  const answer = await ocpiGet(`${api.url}${CDRS_PATH}?limit=0`, null);
  expect(answer.status).toBe(401);
});

test('health and readiness need no token', async () => {
  expect((await ocpiGet(`${api.url}/health`, null)).status).toBe(200);
  expect((await ocpiGet(`${api.url}/ready`, null)).status).toBe(200);
});
