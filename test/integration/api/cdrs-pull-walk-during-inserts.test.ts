/**
 * GIREVE walks the pages while the CPO keeps producing CDRs. Following Link must still
 * hand over each CDR once: new ones (newer last_updated) at the end, and nothing repeated
 * or skipped when rows appear before the page being read.
 */
import { CDRS_PATH } from '../../../src/api/paths';
import { ocpiGet, startTestApi, storeCdr, storeCdrSeries, walkPages, nextLink, cdrIds, type TestApi } from './api-harness';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ defaultLimit: 20, maxLimit: 100 });
});
afterAll(async () => {
  await api.stop();
});

test('a client following Link while newer CDRs are inserted sees every CDR exactly once, in order', async () => {
  const first = await storeCdrSeries(api.db.pool, 'OLD', new Date('2022-01-01T00:00:00Z'), 30);
  const inserted: string[] = [];
  let clock = new Date('2022-06-01T00:00:00Z').getTime();

  const { ids, pages } = await walkPages(`${api.url}${CDRS_PATH}?limit=7`, async (pageIndex) => {
    if (pageIndex === 0) return;
    // Three new CDRs arrive before each following page.
    for (let i = 0; i < 3; i++) {
      const id = `NEW-${String(inserted.length + 1).padStart(3, '0')}`;
      clock += 60_000;
      await storeCdr(api.db.pool, id, new Date(clock));
      inserted.push(id);
    }
  });

  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.slice(0, 30)).toEqual(first.map((cdr) => cdr.id));
  // Whatever arrived before the walk reached the end is handed over, in arrival order.
  expect(ids.slice(30)).toEqual(inserted.slice(0, ids.length - 30));
  expect(ids.length).toBeGreaterThan(30);
  // X-Total-Count grows as CDRs arrive, the way transport_and_format.md lets a client notice.
  const totals = pages.map((page) => Number(page.headers.get('x-total-count')));
  expect(totals[totals.length - 1]!).toBeGreaterThan(totals[0]!);
});

test('a CDR inserted before the current page does not make the next page repeat a CDR', async () => {
  const window = 'date_from=2023-01-01T00:00:00Z&date_to=2024-01-01T00:00:00Z';
  const stored = await storeCdrSeries(api.db.pool, 'KEY', new Date('2023-03-01T00:00:00Z'), 10);
  const firstPage = await ocpiGet(`${api.url}${CDRS_PATH}?${window}&limit=5`);
  expect(cdrIds(firstPage.body.data)).toEqual(stored.slice(0, 5).map((cdr) => cdr.id));

  // A late CDR whose last_updated sorts before the page boundary: offset alone would shift by one.
  await storeCdr(api.db.pool, 'KEY-LATE', new Date('2023-02-01T00:00:00Z'));

  const secondPage = await ocpiGet(nextLink(firstPage)!);
  expect(cdrIds(secondPage.body.data)).toEqual(stored.slice(5, 10).map((cdr) => cdr.id));
  expect(secondPage.headers.get('x-total-count')).toBe('11');
});
