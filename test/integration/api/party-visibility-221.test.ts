/**
 * In 2.2.1 as in 2.1.1, a token sees only the CPO parties of its OCPI_TOKENS scope, in
 * pull, count, Link and check. 2.2.1 adds routing: a request addressed to one CPO party
 * (OCPI-to-*) is about that party alone; a party outside the token's scope looks like a
 * party without CDRs.
 */
import { CDRS_221_PATH } from '../../../src/api/paths';
import type { Party } from '../../../src/ocpi/party';
import { cdrIds, CPO, startTestApi, type TestApi } from './api-harness';
import { answerRouting, get221, routingTo, storeCdr221, walk221 } from './api-harness-221';

const ABC_ONLY = 'hub-abc-only-221-7d31';
const EVERYTHING = 'gireve-all-parties-221-e81b';

const ABC: Party = { country_code: 'FR', party_id: 'ABC' };
const DEF: Party = { country_code: 'FR', party_id: 'DEF' };
const PARTIES = [ABC, DEF, CPO];

let api: TestApi;
const pull = (token: string, query = '', headers: Record<string, string> = {}) =>
  get221(`${api.url}${CDRS_221_PATH}${query}`, token, headers);
const check = (token: string, id: string, headers: Record<string, string> = {}) =>
  get221(`${api.url}${CDRS_221_PATH}/${encodeURIComponent(id)}`, token, headers);

beforeAll(async () => {
  api = await startTestApi({ maxLimit: 100, env: { OCPI_TOKENS: `${ABC_ONLY}=FR*ABC, ${EVERYTHING}` } });
  // Interleaved in time, so each party's CDRs sit between the others' in pull order.
  const start = Date.parse('2024-05-01T00:00:00Z');
  for (let i = 0; i < 18; i++) {
    const party = PARTIES[i % PARTIES.length]!;
    await storeCdr221(api.db.pool, `${party.party_id}-${i}`, new Date(start + i * 60_000), { party });
  }
});
afterAll(async () => {
  await api.stop();
});

const idsOf = (party: Party) =>
  [...Array(18).keys()].filter((i) => PARTIES[i % PARTIES.length] === party).map((i) => `${party.party_id}-${i}`);

test("a token scoped to one party pulls and counts only that party's CDRs, across every page", async () => {
  const { pages, ids } = await walk221(`${api.url}${CDRS_221_PATH}?limit=2`, ABC_ONLY);
  expect(ids).toEqual(idsOf(ABC));
  expect(pages).toHaveLength(3);
  for (const page of pages) expect(page.headers.get('x-total-count')).toBe('6');
});

test('a scoped token answers from its one party even when the request names none', async () => {
  const page = await pull(ABC_ONLY);
  expect(answerRouting(page)).toMatchObject({ fromCountry: 'FR', fromParty: 'ABC' });
});

test('a token without a scope sees every party', async () => {
  const page = await pull(EVERYTHING, '?limit=100');
  expect(cdrIds(page.body.data)).toHaveLength(18);
  expect(page.headers.get('x-total-count')).toBe('18');
});

test('a request addressed to one party (OCPI-to-*) gets only that party, and its count', async () => {
  const { pages, ids } = await walk221(`${api.url}${CDRS_221_PATH}?limit=4`, EVERYTHING, routingTo(DEF));
  expect(ids).toEqual(idsOf(DEF));
  for (const page of pages) {
    expect(page.headers.get('x-total-count')).toBe('6');
    expect(answerRouting(page)).toMatchObject({ fromCountry: 'FR', fromParty: 'DEF' });
  }
});

test("a request addressed to a party outside the token's scope is answered like a party without CDRs", async () => {
  const outside = await pull(ABC_ONLY, '?limit=100', routingTo(DEF));
  const unknown = await pull(ABC_ONLY, '?limit=100', routingTo({ country_code: 'NL', party_id: 'ZZZ' }));
  for (const answer of [outside, unknown]) {
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual([]);
    expect(answer.headers.get('x-total-count')).toBe('0');
  }
});

test("checking another party's CDR answers exactly like an unknown id", async () => {
  const foreign = await check(ABC_ONLY, 'DEF-1');
  const unknown = await check(ABC_ONLY, 'DEF-999');
  expect(foreign.status).toBe(404);
  expect(foreign.body.status_message).toBe(unknown.body.status_message?.replace('DEF-999', 'DEF-1'));
});

test('checking a CDR of a party other than the addressed one answers 404', async () => {
  expect((await check(EVERYTHING, 'DEF-1', routingTo(ABC))).status).toBe(404);
  expect((await check(EVERYTHING, 'DEF-1', routingTo(DEF))).status).toBe(200);
});

test('checking its own CDR works for a scoped token, answered from the CDR party', async () => {
  const answer = await check(ABC_ONLY, 'ABC-3');
  expect(answer.status).toBe(200);
  expect(answer.body.data).toMatchObject({ id: 'ABC-3', country_code: 'FR', party_id: 'ABC' });
  expect(answerRouting(answer)).toMatchObject({ fromCountry: 'FR', fromParty: 'ABC' });
});
