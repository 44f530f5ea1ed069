/**
 * Paging the CDR pull (GET /ocpi/cpo/2.1.1/cdrs): GIREVE pulls 20 per page and follows
 * Link until there is none; each CDR must come exactly once, in last_updated order.
 * Each test reads its own date window, so the tests of this file share one database.
 */
import { cdrSchema } from '../../../src/ocpi/v211/cdr';
import { CDRS_PATH } from '../../../src/api/paths';
import { cdrIds, nextLink, ocpiGet, startTestApi, storeCdr, storeCdrSeries, walkPages, type TestApi } from './api-harness';

let api: TestApi;
const cdrsUrl = (query: string) => `${api.url}${CDRS_PATH}?${query}`;

beforeAll(async () => {
  api = await startTestApi({ defaultLimit: 20, maxLimit: 50 });
});
afterAll(async () => {
  await api.stop();
});

describe('paging the CDR pull', () => {
  test('following Link from the first page returns each of 45 CDRs exactly once, in last_updated order', async () => {
    const stored = await storeCdrSeries(api.db.pool, 'WALK', new Date('2021-03-01T08:00:00Z'), 45);
    const { pages, ids } = await walkPages(cdrsUrl('date_from=2021-01-01T00:00:00Z&date_to=2022-01-01T00:00:00Z'));
    expect(pages.map((page) => cdrIds(page.body.data).length)).toEqual([20, 20, 5]);
    expect(ids).toEqual(stored.map((cdr) => cdr.id));
    expect(nextLink(pages[2]!)).toBeUndefined();
  });

  test('every page carries X-Total-Count of the whole window and X-Limit of the server maximum', async () => {
    await storeCdrSeries(api.db.pool, 'HDR', new Date('2019-05-01T08:00:00Z'), 23);
    const { pages } = await walkPages(cdrsUrl('date_from=2019-01-01T00:00:00Z&date_to=2020-01-01T00:00:00Z&limit=10'));
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expect(page.headers.get('x-total-count')).toBe('23');
      expect(page.headers.get('x-limit')).toBe('50');
    }
  });

  test('a page is the stored CDR objects inside a success envelope', async () => {
    const stored = await storeCdr(api.db.pool, 'SHAPE-1', new Date('2018-06-01T10:00:00Z'));
    const page = await ocpiGet(cdrsUrl('date_from=2018-01-01T00:00:00Z&date_to=2019-01-01T00:00:00Z'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^application\/json/);
    expect(page.body).toEqual({
      data: [stored],
      status_code: 1000,
      status_message: 'Success',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
    });
    expect(cdrSchema.safeParse((page.body.data as unknown[])[0]).success).toBe(true);
  });

  test('limit defaults to the configured default limit', async () => {
    await storeCdrSeries(api.db.pool, 'DEF', new Date('2017-02-01T00:00:00Z'), 25);
    const page = await ocpiGet(cdrsUrl('date_from=2017-01-01T00:00:00Z&date_to=2018-01-01T00:00:00Z'));
    expect(cdrIds(page.body.data)).toHaveLength(20);
  });

  test('a limit above the maximum is capped at the maximum, not refused', async () => {
    await storeCdrSeries(api.db.pool, 'CAP', new Date('2016-02-01T00:00:00Z'), 60);
    const page = await ocpiGet(cdrsUrl('date_from=2016-01-01T00:00:00Z&date_to=2017-01-01T00:00:00Z&limit=1000'));
    expect(page.status).toBe(200);
    expect(cdrIds(page.body.data)).toHaveLength(50);
    expect(page.headers.get('x-limit')).toBe('50');
    expect(page.headers.get('x-total-count')).toBe('60');
    const next = new URL(nextLink(page)!);
    expect(next.searchParams.get('limit')).toBe('50');
    expect(next.searchParams.get('offset')).toBe('50');
  });

  test('the next Link keeps date_from and date_to and moves offset by the limit', async () => {
    await storeCdrSeries(api.db.pool, 'LINK', new Date('2015-02-01T00:00:00Z'), 12);
    const page = await ocpiGet(cdrsUrl('date_from=2015-01-01T00:00:00Z&date_to=2016-01-01T00:00:00Z&offset=3&limit=4'));
    const next = new URL(nextLink(page)!);
    expect(`${next.origin}${next.pathname}`).toBe(`${api.url}${CDRS_PATH}`);
    expect(next.searchParams.get('date_from')).toBe('2015-01-01T00:00:00Z');
    expect(next.searchParams.get('date_to')).toBe('2016-01-01T00:00:00Z');
    expect(next.searchParams.get('offset')).toBe('7');
    expect(next.searchParams.get('limit')).toBe('4');
    expect(next.searchParams.get('cursor')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('plain offset and limit without cursor page exactly like following Link', async () => {
    const stored = await storeCdrSeries(api.db.pool, 'OFF', new Date('2014-02-01T00:00:00Z'), 11);
    const window = 'date_from=2014-01-01T00:00:00Z&date_to=2015-01-01T00:00:00Z';
    const ids: string[] = [];
    for (const offset of [0, 4, 8]) {
      const page = await ocpiGet(cdrsUrl(`${window}&offset=${offset}&limit=4`));
      ids.push(...cdrIds(page.body.data));
      expect(nextLink(page) === undefined).toBe(offset === 8);
    }
    expect(ids).toEqual(stored.map((cdr) => cdr.id));
  });

  test('the last page has no Link even when it is exactly full', async () => {
    await storeCdrSeries(api.db.pool, 'FULL', new Date('2013-02-01T00:00:00Z'), 10);
    const { pages } = await walkPages(cdrsUrl('date_from=2013-01-01T00:00:00Z&date_to=2014-01-01T00:00:00Z&limit=5'));
    expect(pages.map((page) => cdrIds(page.body.data).length)).toEqual([5, 5]);
  });

  test('an offset past the end answers an empty page without Link', async () => {
    await storeCdrSeries(api.db.pool, 'END', new Date('2012-02-01T00:00:00Z'), 3);
    const page = await ocpiGet(cdrsUrl('date_from=2012-01-01T00:00:00Z&date_to=2013-01-01T00:00:00Z&offset=10'));
    expect(page.status).toBe(200);
    expect(page.body.data).toEqual([]);
    expect(page.headers.get('x-total-count')).toBe('3');
    expect(nextLink(page)).toBeUndefined();
  });

  test('CDRs that failed our own validation are never pulled nor counted', async () => {
    await storeCdr(api.db.pool, 'INV-GOOD-1', new Date('2011-02-01T00:00:00Z'));
    await storeCdr(api.db.pool, 'INV-BAD-1', new Date('2011-02-02T00:00:00Z'), 'invalid');
    await storeCdr(api.db.pool, 'INV-GOOD-2', new Date('2011-02-03T00:00:00Z'));
    const page = await ocpiGet(cdrsUrl('date_from=2011-01-01T00:00:00Z&date_to=2012-01-01T00:00:00Z'));
    expect(cdrIds(page.body.data)).toEqual(['INV-GOOD-1', 'INV-GOOD-2']);
    expect(page.headers.get('x-total-count')).toBe('2');
  });

  test('CDRs sharing one last_updated are paged in a stable order, none lost at a page edge', async () => {
    const sameInstant = new Date('2010-06-01T12:00:00Z');
    const ids = ['TIE-E', 'TIE-A', 'TIE-D', 'TIE-C', 'TIE-B'];
    for (const id of ids) await storeCdr(api.db.pool, id, sameInstant);
    const walked = await walkPages(cdrsUrl('date_from=2010-01-01T00:00:00Z&date_to=2011-01-01T00:00:00Z&limit=2'));
    expect(walked.ids).toEqual([...ids].sort());
  });
});
