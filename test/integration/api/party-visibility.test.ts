/**
 * A party sees only the CDRs meant for it. One cdrflow serves several CPO parties; each
 * OCPI_TOKENS entry may name the parties its holder sees (`token=FR*ABC+FR*DEF`), and
 * pull, count, Link and check all stay inside that scope.
 */
import type { Party } from '../../../src/ocpi/party';
import { CDRS_PATH } from '../../../src/api/paths';
import { cdrIds, CPO, nextLink, ocpiGet, startTestApi, storeCdr, walkPages, type TestApi } from './api-harness';

const ABC_ONLY = 'hub-abc-only-7d31';
const DEF_ONLY = 'hub-def-only-52aa';
const ABC_AND_DEF = 'hub-abc-def-0c9e';
const EVERYTHING = 'gireve-all-parties-e81b';

const ABC: Party = { country_code: 'FR', party_id: 'ABC' };
const DEF: Party = { country_code: 'FR', party_id: 'DEF' };
const BE_ABC: Party = { country_code: 'BE', party_id: 'ABC' };

let api: TestApi;
const pull = (token: string, query = '') => ocpiGet(`${api.url}${CDRS_PATH}${query}`, token);
const check = (token: string, id: string) => ocpiGet(`${api.url}${CDRS_PATH}/${encodeURIComponent(id)}`, token);

beforeAll(async () => {
  api = await startTestApi({
    maxLimit: 100,
    env: { OCPI_TOKENS: `${ABC_ONLY}=FR*ABC, ${DEF_ONLY}=fr*def, ${ABC_AND_DEF}=FR*ABC+FR*DEF, ${EVERYTHING}` },
  });
  // Interleaved in time, so each party's CDRs sit between the others' in pull order.
  const start = Date.parse('2024-05-01T00:00:00Z');
  const parties = [ABC, DEF, BE_ABC, CPO];
  for (let i = 0; i < 24; i++) {
    const party = parties[i % parties.length]!;
    await storeCdr(api.db.pool, `${party.country_code}${party.party_id}-${i}`, new Date(start + i * 60_000), 'queued', party);
  }
  // The same CDR id at two parties: OCPI ids are unique per party, not per platform.
  await storeCdr(api.db.pool, 'SHARED-ID', new Date(start + 3_600_000), 'queued', ABC);
  await storeCdr(api.db.pool, 'SHARED-ID', new Date(start + 1_800_000), 'queued', DEF);
});
afterAll(async () => {
  await api.stop();
});

const idsOf = (party: Party, extra: string[] = []) =>
  [...Array(24).keys()]
    .filter((i) => i % 4 === [ABC, DEF, BE_ABC, CPO].indexOf(party))
    .map((i) => `${party.country_code}${party.party_id}-${i}`)
    .concat(extra);

test("a token scoped to one party pulls only that party's CDRs, and counts only them", async () => {
  const page = await pull(ABC_ONLY, '?limit=100');
  expect(cdrIds(page.body.data)).toEqual(idsOf(ABC, ['SHARED-ID']));
  expect(page.headers.get('x-total-count')).toBe('7');
});

test("a scoped token following Link across many pages never meets another party's CDR", async () => {
  const { pages, ids } = await walkPages(`${api.url}${CDRS_PATH}?limit=2`, undefined, DEF_ONLY);
  expect(pages).toHaveLength(4);
  expect(ids).toEqual(['FRDEF-1', 'FRDEF-5', 'FRDEF-9', 'FRDEF-13', 'FRDEF-17', 'FRDEF-21', 'SHARED-ID']);
  for (const page of pages) expect(page.headers.get('x-total-count')).toBe('7');
});

test('a party written in lower case in OCPI_TOKENS means the same party', async () => {
  expect(cdrIds((await pull(DEF_ONLY, '?limit=100')).body.data)).toEqual([
    'FRDEF-1',
    'FRDEF-5',
    'FRDEF-9',
    'FRDEF-13',
    'FRDEF-17',
    'FRDEF-21',
    'SHARED-ID',
  ]);
});

test('a token scoped to two parties sees both, in the one pull order', async () => {
  const page = await pull(ABC_AND_DEF, '?limit=100');
  const ids = cdrIds(page.body.data);
  expect(ids).toHaveLength(14);
  expect(ids.filter((id) => id.startsWith('BE') || id.startsWith('FRAB1'))).toEqual([]);
  expect(page.headers.get('x-total-count')).toBe('14');
});

test('a party of the same id in another country is another party', async () => {
  const ids = cdrIds((await pull(ABC_ONLY, '?limit=100')).body.data);
  expect(ids.some((id) => id.startsWith('BEABC'))).toBe(false);
});

test("a token without a scope sees every party's CDRs, as a plain token list always did", async () => {
  const page = await pull(EVERYTHING, '?limit=100');
  expect(cdrIds(page.body.data)).toHaveLength(26);
  expect(page.headers.get('x-total-count')).toBe('26');
});

test('a date window narrows a scoped pull and keeps the scope', async () => {
  const page = await pull(ABC_ONLY, '?date_from=2024-05-01T00:04:00Z&date_to=2024-05-01T00:13:00Z');
  expect(cdrIds(page.body.data)).toEqual(['FRABC-4', 'FRABC-8', 'FRABC-12']);
  expect(page.headers.get('x-total-count')).toBe('3');
});

test('a plain offset counts only the CDRs the token sees', async () => {
  expect(cdrIds((await pull(ABC_ONLY, '?offset=5&limit=10')).body.data)).toEqual(['FRABC-20', 'SHARED-ID']);
});

test("a cursor copied from another party's Link does not open that party's CDRs", async () => {
  const everything = await pull(EVERYTHING, '?limit=1');
  const foreignLink = new URL(nextLink(everything)!);
  const answer = await ocpiGet(foreignLink.toString(), ABC_ONLY);
  expect(answer.status).toBe(200);
  expect(cdrIds(answer.body.data).every((id) => id.startsWith('FRABC') || id === 'SHARED-ID')).toBe(true);
});

test("checking another party's CDR answers exactly like an unknown id", async () => {
  const foreign = await check(ABC_ONLY, 'FRDEF-1');
  const unknown = await check(ABC_ONLY, 'FRDEF-999');
  expect(foreign.status).toBe(404);
  expect(foreign.body.status_code).toBe(unknown.body.status_code);
  expect(foreign.body.status_message).toBe(unknown.body.status_message?.replace('FRDEF-999', 'FRDEF-1'));
  expect(foreign.body.data).toBeUndefined();
});

test('checking its own CDR works for a scoped token', async () => {
  const answer = await check(DEF_ONLY, 'FRDEF-5');
  expect(answer.status).toBe(200);
  expect(answer.body.data).toMatchObject({ id: 'FRDEF-5' });
});

test("an id two parties share answers each token with its own party's CDR", async () => {
  const asAbc = await check(ABC_ONLY, 'SHARED-ID');
  const asDef = await check(DEF_ONLY, 'SHARED-ID');
  expect((asAbc.body.data as { location: { evses: { evse_id: string }[] } }).location.evses[0]?.evse_id).toBe('FR*ABC*E0001');
  expect((asDef.body.data as { location: { evses: { evse_id: string }[] } }).location.evses[0]?.evse_id).toBe('FR*DEF*E0001');
});
