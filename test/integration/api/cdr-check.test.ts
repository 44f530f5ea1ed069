/**
 * GET /ocpi/cpo/2.1.1/cdrs/{cdr_id}: a hub checking one CDR gets exactly what it can pull.
 */
import { CDRS_PATH } from '../../../src/api/paths';
import { ocpiGet, startTestApi, storeCdr, type TestApi } from './api-harness';

let api: TestApi;
const check = (id: string) => ocpiGet(`${api.url}${CDRS_PATH}/${encodeURIComponent(id)}`);

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

test('a stored CDR is answered as the single object of a success envelope', async () => {
  const stored = await storeCdr(api.db.pool, 'CHECK-0001', new Date('2024-03-01T12:00:00Z'));
  const answer = await check('CHECK-0001');
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ data: stored, status_code: 1000 });
});

test('the id is compared case-insensitively, as OCPI CiStrings are', async () => {
  const stored = await storeCdr(api.db.pool, 'Check-Case-A', new Date('2024-03-01T12:05:00Z'));
  expect((await check('CHECK-CASE-a')).body.data).toEqual(stored);
});

test('an id with reserved URL characters is found through its percent-encoding', async () => {
  const stored = await storeCdr(api.db.pool, 'CHK/2024 #7', new Date('2024-03-01T12:10:00Z'));
  expect((await check('CHK/2024 #7')).body.data).toEqual(stored);
});

test('an unknown id answers 404 with status 2000', async () => {
  const answer = await check('NO-SUCH-CDR');
  expect(answer.status).toBe(404);
  expect(answer.body).toEqual({
    status_code: 2000,
    status_message: expect.stringContaining('NO-SUCH-CDR'),
    timestamp: expect.any(String),
  });
});

test('a CDR that failed our own validation is unknown to the hub', async () => {
  await storeCdr(api.db.pool, 'CHECK-INVALID', new Date('2024-03-01T12:20:00Z'), 'invalid');
  expect((await check('CHECK-INVALID')).status).toBe(404);
});

test('a trailing slash after the id reaches the same CDR', async () => {
  await storeCdr(api.db.pool, 'CHECK-SLASH', new Date('2024-03-01T12:30:00Z'));
  const answer = await ocpiGet(`${api.url}${CDRS_PATH}/CHECK-SLASH/`);
  expect(answer.status).toBe(200);
});
