/**
 * The date window of a pull: date_from is inclusive, date_to exclusive (mod_cdrs.md,
 * transport_and_format.md), on last_updated, exactly, so GIREVE's incremental pulls
 * (date_from = its previous request) neither miss nor repeat a CDR.
 */
import { CDRS_PATH } from '../../../src/api/paths';
import { cdrIds, ocpiGet, startTestApi, storeCdr, type TestApi } from './api-harness';

let api: TestApi;
const pull = (query: string) => ocpiGet(`${api.url}${CDRS_PATH}?${query}`);

beforeAll(async () => {
  api = await startTestApi();
  await storeCdr(api.db.pool, 'EDGE-BEFORE', new Date('2024-05-01T09:59:59.999Z'));
  await storeCdr(api.db.pool, 'EDGE-AT-FROM', new Date('2024-05-01T10:00:00.000Z'));
  await storeCdr(api.db.pool, 'EDGE-MIDDLE', new Date('2024-05-01T10:30:00.123Z'));
  await storeCdr(api.db.pool, 'EDGE-JUST-BEFORE-TO', new Date('2024-05-01T10:59:59.999Z'));
  await storeCdr(api.db.pool, 'EDGE-AT-TO', new Date('2024-05-01T11:00:00.000Z'));
});
afterAll(async () => {
  await api.stop();
});

test('date_from includes a CDR updated exactly at date_from and date_to excludes one updated exactly at date_to', async () => {
  const page = await pull('date_from=2024-05-01T10:00:00Z&date_to=2024-05-01T11:00:00Z');
  expect(cdrIds(page.body.data)).toEqual(['EDGE-AT-FROM', 'EDGE-MIDDLE', 'EDGE-JUST-BEFORE-TO']);
  expect(page.headers.get('x-total-count')).toBe('3');
});

test('consecutive windows sharing a bound hand over every CDR exactly once', async () => {
  const bounds = [
    '2024-05-01T09:00:00Z',
    '2024-05-01T10:00:00Z',
    '2024-05-01T10:30:00.123Z',
    '2024-05-01T11:00:00Z',
    '2024-05-01T12:00:00Z',
  ];
  const ids: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    ids.push(...cdrIds((await pull(`date_from=${bounds[i]}&date_to=${bounds[i + 1]}`)).body.data));
  }
  expect(ids).toEqual(['EDGE-BEFORE', 'EDGE-AT-FROM', 'EDGE-MIDDLE', 'EDGE-JUST-BEFORE-TO', 'EDGE-AT-TO']);
});

test('fractions of seconds count, down to the fourth digit', async () => {
  expect(cdrIds((await pull('date_from=2024-05-01T10:30:00.123Z&date_to=2024-05-01T10:30:00.124Z')).body.data)).toEqual(['EDGE-MIDDLE']);
  expect(cdrIds((await pull('date_from=2024-05-01T10:30:00.1231Z&date_to=2024-05-01T11:00:00Z')).body.data)).toEqual([
    'EDGE-JUST-BEFORE-TO',
  ]);
  expect(cdrIds((await pull('date_from=2024-05-01T10:30:00.1229Z&date_to=2024-05-01T10:30:00.1231Z')).body.data)).toEqual(['EDGE-MIDDLE']);
});

test('only date_from pulls everything from it on; only date_to everything before it', async () => {
  expect(cdrIds((await pull('date_from=2024-05-01T10:59:59.999Z')).body.data)).toEqual(['EDGE-JUST-BEFORE-TO', 'EDGE-AT-TO']);
  expect(cdrIds((await pull('date_to=2024-05-01T10:00:00Z')).body.data)).toEqual(['EDGE-BEFORE']);
});

test('equal date_from and date_to is an empty window, not an error', async () => {
  const page = await pull('date_from=2024-05-01T10:00:00Z&date_to=2024-05-01T10:00:00Z');
  expect(page.status).toBe(200);
  expect(page.body.data).toEqual([]);
  expect(page.headers.get('x-total-count')).toBe('0');
});

test('a DateTime without time zone designator is read as UTC, as OCPI 2.1.1 says', async () => {
  const page = await pull('date_from=2024-05-01T10:00:00&date_to=2024-05-01T11:00:00');
  expect(page.status).toBe(200);
  expect(cdrIds(page.body.data)).toEqual(['EDGE-AT-FROM', 'EDGE-MIDDLE', 'EDGE-JUST-BEFORE-TO']);
});

test('a percent-encoded DateTime means the same as a plain one', async () => {
  const page = await pull('date_from=2024-05-01T10%3A00%3A00Z&date_to=2024-05-01T11%3A00%3A00Z');
  expect(cdrIds(page.body.data)).toEqual(['EDGE-AT-FROM', 'EDGE-MIDDLE', 'EDGE-JUST-BEFORE-TO']);
});

test('a CDR stored a moment ago is in the very next pull: no settle window hides recent CDRs', async () => {
  // Hiding the newest CDRs would lose them for good: GIREVE's next incremental pull starts
  // at the time of this one (date_from = its last request), past the hidden ones.
  const justNow = new Date();
  await storeCdr(api.db.pool, 'EDGE-JUST-NOW', justNow);
  const page = await pull(`date_from=${new Date(justNow.getTime() - 1000).toISOString()}`);
  expect(cdrIds(page.body.data)).toEqual(['EDGE-JUST-NOW']);
});
