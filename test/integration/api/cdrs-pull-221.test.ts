/**
 * The OCPI 2.2.1 pull (GET /ocpi/cpo/2.2.1/cdrs) serves each CDR's 2.2.1 form: paged like
 * the 2.1.1 pull (Link to the end, each CDR once, in last_updated order), counted exactly,
 * and without the CDRs that have no 2.2.1 form or failed our own validation.
 * Each test reads its own date window, so the tests of this file share one database.
 */
import { CDRS_221_PATH, CDRS_PATH } from '../../../src/api/paths';
import { cdrIds, nextLink, ocpiGet, startTestApi, type TestApi } from './api-harness';
import { get221, storeCdr221, storeCdr221Series, walk221 } from './api-harness-221';

let api: TestApi;
const cdrs221Url = (query: string) => `${api.url}${CDRS_221_PATH}?${query}`;

beforeAll(async () => {
  api = await startTestApi({ defaultLimit: 20, maxLimit: 50 });
});
afterAll(async () => {
  await api.stop();
});

test('following Link from the first page returns each of 47 CDRs exactly once, in last_updated order, with an exact count on every page', async () => {
  const stored = await storeCdr221Series(api.db.pool, 'W221', new Date('2021-03-01T08:00:00Z'), 47);
  const { pages, ids } = await walk221(cdrs221Url('date_from=2021-01-01T00:00:00Z&date_to=2022-01-01T00:00:00Z'));
  expect(pages.map((page) => cdrIds(page.body.data).length)).toEqual([20, 20, 7]);
  expect(ids).toEqual(stored.map((cdr) => cdr.id));
  for (const page of pages) {
    expect(page.headers.get('x-total-count')).toBe('47');
    expect(page.headers.get('x-limit')).toBe('50');
  }
  expect(nextLink(pages[2]!)).toBeUndefined();
});

test('a page is the stored 2.2.1 CDR objects inside a success envelope', async () => {
  const stored = await storeCdr221(api.db.pool, 'SHAPE-221', new Date('2020-06-01T10:00:00Z'));
  const page = await get221(cdrs221Url('date_from=2020-01-01T00:00:00Z&date_to=2021-01-01T00:00:00Z'));
  expect(page.status).toBe(200);
  expect(page.body).toEqual({
    data: [stored],
    status_code: 1000,
    status_message: 'Success',
    timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
  });
});

test('the next Link stays on the 2.2.1 endpoint and keeps the filters', async () => {
  await storeCdr221Series(api.db.pool, 'L221', new Date('2019-02-01T00:00:00Z'), 6);
  const page = await get221(cdrs221Url('date_from=2019-01-01T00:00:00Z&date_to=2020-01-01T00:00:00Z&offset=1&limit=2'));
  const next = new URL(nextLink(page)!);
  expect(`${next.origin}${next.pathname}`).toBe(`${api.url}${CDRS_221_PATH}`);
  expect(next.searchParams.get('date_from')).toBe('2019-01-01T00:00:00Z');
  expect(next.searchParams.get('date_to')).toBe('2020-01-01T00:00:00Z');
  expect(next.searchParams.get('offset')).toBe('3');
  expect(next.searchParams.get('limit')).toBe('2');
});

test('CDRs without a 2.2.1 form or that failed validation are neither pulled nor counted, and do not break the paging', async () => {
  const window = 'date_from=2018-01-01T00:00:00Z&date_to=2019-01-01T00:00:00Z';
  const expected: string[] = [];
  let invalid = 0;
  for (let i = 0; i < 30; i++) {
    const id = `MIX-${String(i).padStart(2, '0')}`;
    const kind = i % 3 === 0 ? 'no-221' : i % 7 === 0 ? 'invalid' : 'full';
    await storeCdr221(api.db.pool, id, new Date(Date.parse('2018-05-01T00:00:00Z') + i * 60_000), {
      with221: kind !== 'no-221',
      status: kind === 'invalid' ? 'invalid' : 'queued',
    });
    if (kind === 'full') expected.push(id);
    if (kind === 'invalid') invalid++;
  }
  const { pages, ids } = await walk221(cdrs221Url(`${window}&limit=4`));
  expect(ids).toEqual(expected);
  for (const page of pages) expect(page.headers.get('x-total-count')).toBe(String(expected.length));
  // Plain offsets skip only 2.2.1 CDRs too.
  const byOffset = await get221(cdrs221Url(`${window}&offset=4&limit=4`));
  expect(cdrIds(byOffset.body.data)).toEqual(expected.slice(4, 8));
  // The 2.1.1 pull still has every valid CDR, with or without a 2.2.1 form.
  const pull211 = await ocpiGet(`${api.url}${CDRS_PATH}?${window}&limit=50`);
  expect(pull211.headers.get('x-total-count')).toBe(String(30 - invalid));
});

test('a credit CDR (stored with a 2.2.1 form alone) is pulled and counted in 2.2.1, and not in 2.1.1', async () => {
  // As the credit CDRs' schema has it: 2.1.1 has no credit CDRs, so `cdr` is null for them.
  await api.db.pool.query('ALTER TABLE cdrs ALTER COLUMN cdr DROP NOT NULL');
  const window = 'date_from=2015-01-01T00:00:00Z&date_to=2016-01-01T00:00:00Z';
  await storeCdr221(api.db.pool, 'CREDITED-1', new Date('2015-04-01T10:00:00Z'));
  const credit = await storeCdr221(api.db.pool, 'CREDIT-1', new Date('2015-04-02T10:00:00Z'));
  await api.db.pool.query(`UPDATE cdrs SET cdr = NULL WHERE id = 'CREDIT-1'`);

  const page221 = await get221(cdrs221Url(window));
  expect(cdrIds(page221.body.data)).toEqual(['CREDITED-1', 'CREDIT-1']);
  expect((page221.body.data as unknown[])[1]).toEqual(credit);
  expect(page221.headers.get('x-total-count')).toBe('2');
  const page211 = await ocpiGet(`${api.url}${CDRS_PATH}?${window}`);
  expect(cdrIds(page211.body.data)).toEqual(['CREDITED-1']);
  expect(page211.headers.get('x-total-count')).toBe('1');
  expect((await ocpiGet(`${api.url}${CDRS_PATH}/CREDIT-1`)).status).toBe(404);
});

test('an offset past the end answers an empty page without Link', async () => {
  await storeCdr221Series(api.db.pool, 'END221', new Date('2017-02-01T00:00:00Z'), 3);
  const page = await get221(cdrs221Url('date_from=2017-01-01T00:00:00Z&date_to=2018-01-01T00:00:00Z&offset=10'));
  expect(page.status).toBe(200);
  expect(page.body.data).toEqual([]);
  expect(page.headers.get('x-total-count')).toBe('3');
  expect(nextLink(page)).toBeUndefined();
});

test('the query is read with the rules of the 2.1.1 pull: a malformed parameter answers 400 with status 2001', async () => {
  const answer = await get221(cdrs221Url('date_from=yesterday'));
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ status_code: 2001, status_message: expect.stringContaining('date_from') });
  expect((await get221(cdrs221Url('date_form=2020-01-01T00:00:00Z'))).status).toBe(400);
});

describe('GET /ocpi/cpo/2.2.1/cdrs/{id}', () => {
  const check = (id: string) => get221(`${api.url}${CDRS_221_PATH}/${encodeURIComponent(id)}`);

  test('answers the stored 2.2.1 CDR as the single object of a success envelope, the id compared case-insensitively', async () => {
    const stored = await storeCdr221(api.db.pool, 'Check-221-A', new Date('2016-03-01T12:00:00Z'));
    const answer = await check('CHECK-221-a');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ data: stored, status_code: 1000 });
  });

  test('a CDR without a 2.2.1 form is unknown to 2.2.1, and still found in 2.1.1', async () => {
    await storeCdr221(api.db.pool, 'CHECK-221-NONE', new Date('2016-03-01T12:10:00Z'), { with221: false });
    const answer = await check('CHECK-221-NONE');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      status_code: 2000,
      status_message: expect.stringContaining('CHECK-221-NONE'),
      timestamp: expect.any(String),
    });
    expect((await ocpiGet(`${api.url}${CDRS_PATH}/CHECK-221-NONE`)).status).toBe(200);
  });

  test('a CDR that failed our own validation is unknown', async () => {
    await storeCdr221(api.db.pool, 'CHECK-221-INVALID', new Date('2016-03-01T12:20:00Z'), { status: 'invalid' });
    expect((await check('CHECK-221-INVALID')).status).toBe(404);
  });
});
