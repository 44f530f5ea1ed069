/**
 * OCPI 2.2.1 transport on the 2.2.1 routes (transport_and_format.asciidoc): the token is
 * sent Base64-encoded (the plain token still works, as many 2.2 clients send it so), every
 * answer carries the request's X-Request-ID and X-Correlation-ID, and the cdrs answers carry
 * routing headers: from the CPO party answering, to the requester. 2.1.1 routes are untouched.
 */
import { CDRS_221_PATH, CDRS_PATH, VERSION_DETAILS_221_PATH, VERSIONS_PATH } from '../../../src/api/paths';
import type { Party } from '../../../src/ocpi/party';
import { CPO, ocpiGet, PULL_TOKEN, SECOND_TOKEN, startTestApi, type OcpiAnswer, type TestApi } from './api-harness';
import { answerRouting, base64Auth, get221, routingFrom, routingTo, storeCdr221 } from './api-harness-221';

const GIREVE: Party = { country_code: 'FR', party_id: '007' };
const OTHER_CPO: Party = { country_code: 'BE', party_id: 'XYZ' };
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let api: TestApi;
const url = (path: string) => `${api.url}${path}`;

beforeAll(async () => {
  api = await startTestApi();
  await storeCdr221(api.db.pool, 'T221-1', new Date('2024-02-01T00:00:00Z'));
  await storeCdr221(api.db.pool, 'T221-OTHER', new Date('2024-02-01T00:05:00Z'), { party: OTHER_CPO });
});
afterAll(async () => {
  await api.stop();
});

const ids = (answer: OcpiAnswer) => ({ request: answer.headers.get('x-request-id'), correlation: answer.headers.get('x-correlation-id') });

describe('Authorization', () => {
  test('the Base64 form of a configured token is accepted on every 2.2.1 route and on the version list', async () => {
    for (const path of [VERSIONS_PATH, VERSION_DETAILS_221_PATH, CDRS_221_PATH, `${CDRS_221_PATH}/T221-1`]) {
      expect((await ocpiGet(url(path), null, base64Auth(PULL_TOKEN))).status).toBe(200);
      expect((await ocpiGet(url(path), null, base64Auth(SECOND_TOKEN))).status).toBe(200);
    }
  });

  test('the token as is is accepted on 2.2.1 routes too, for clients that do not encode it', async () => {
    expect((await ocpiGet(url(CDRS_221_PATH), PULL_TOKEN)).status).toBe(200);
  });

  test('a Base64 token encoded with a final line break (echo token | base64) is accepted', async () => {
    const encoded = Buffer.from(`${PULL_TOKEN}\n`, 'utf8').toString('base64');
    expect((await ocpiGet(url(CDRS_221_PATH), null, { Authorization: `Token ${encoded}` })).status).toBe(200);
  });

  test('the Base64 form of a wrong token, or a Base64 token cut short, is refused with 401 and the message ids', async () => {
    for (const authorization of [base64Auth('not-the-token').Authorization, base64Auth().Authorization.slice(0, -2)]) {
      const answer = await ocpiGet(url(CDRS_221_PATH), null, { Authorization: authorization, 'X-Request-ID': 'req-401' });
      expect(answer.status).toBe(401);
      expect(answer.body.status_code).toBe(2000);
      expect(answer.headers.get('x-request-id')).toBe('req-401');
    }
  });

  test('2.1.1 routes still refuse the Base64 form', async () => {
    expect((await ocpiGet(url(CDRS_PATH), null, base64Auth())).status).toBe(401);
  });
});

describe('X-Request-ID and X-Correlation-ID', () => {
  const sent = { 'X-Request-ID': '8d6b4e4b-58a8-4c39-9a55-6f4a3a6f0e21', 'X-Correlation-ID': 'corr-42' };

  test.each([VERSIONS_PATH, VERSION_DETAILS_221_PATH, CDRS_221_PATH, `${CDRS_221_PATH}/T221-1`])('%s echoes both', async (path) => {
    const answer = await get221(url(path), PULL_TOKEN, sent);
    expect(answer.status).toBe(200);
    expect(ids(answer)).toEqual({ request: sent['X-Request-ID'], correlation: sent['X-Correlation-ID'] });
  });

  test('error answers echo them too: unknown CDR, bad parameter, missing token, wrong method', async () => {
    const answers = [
      await get221(url(`${CDRS_221_PATH}/NO-SUCH`), PULL_TOKEN, sent),
      await get221(url(`${CDRS_221_PATH}?limit=0`), PULL_TOKEN, sent),
      await ocpiGet(url(CDRS_221_PATH), null, sent),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([404, 400, 401]);
    const post = await fetch(url(CDRS_221_PATH), { method: 'POST', headers: { ...base64Auth(), ...sent }, body: '{}' });
    expect(post.status).toBe(405);
    for (const answer of [...answers, { headers: post.headers } as OcpiAnswer]) {
      expect(ids(answer)).toEqual({ request: sent['X-Request-ID'], correlation: sent['X-Correlation-ID'] });
    }
  });

  test('a request without them gets a fresh UUID for each', async () => {
    const answer = await get221(url(CDRS_221_PATH));
    expect(answer.headers.get('x-request-id')).toMatch(UUID_RE);
    expect(answer.headers.get('x-correlation-id')).toMatch(UUID_RE);
    expect((await get221(url(CDRS_221_PATH))).headers.get('x-request-id')).not.toBe(answer.headers.get('x-request-id'));
  });

  test('an id too long to be one is replaced by a fresh UUID rather than echoed', async () => {
    const answer = await get221(url(CDRS_221_PATH), PULL_TOKEN, { 'X-Request-ID': 'x'.repeat(300) });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toMatch(UUID_RE);
  });

  test('2.1.1 routes answer as they always did, without them', async () => {
    const answer = await ocpiGet(url(CDRS_PATH), PULL_TOKEN, sent);
    expect(ids(answer)).toEqual({ request: null, correlation: null });
  });
});

describe('routing headers', () => {
  test('a CDR found by id is answered from its CPO party to the requester', async () => {
    const answer = await get221(url(`${CDRS_221_PATH}/T221-OTHER`), PULL_TOKEN, { ...routingFrom(GIREVE) });
    expect(answer.status).toBe(200);
    expect(answerRouting(answer)).toEqual({ fromCountry: 'BE', fromParty: 'XYZ', toCountry: 'FR', toParty: '007' });
  });

  test('a page addressed to one CPO party is answered from that party to the requester', async () => {
    const answer = await get221(url(CDRS_221_PATH), PULL_TOKEN, { ...routingFrom(GIREVE), ...routingTo(CPO) });
    expect(answerRouting(answer)).toEqual({ fromCountry: 'FR', fromParty: 'AB1', toCountry: 'FR', toParty: '007' });
  });

  test('party headers are case-insensitive (CiString) and answered in upper case', async () => {
    const answer = await get221(url(CDRS_221_PATH), PULL_TOKEN, {
      'OCPI-from-country-code': 'fr',
      'OCPI-from-party-id': '007',
      'OCPI-to-country-code': 'fr',
      'OCPI-to-party-id': 'ab1',
    });
    expect(answer.status).toBe(200);
    expect(answerRouting(answer)).toEqual({ fromCountry: 'FR', fromParty: 'AB1', toCountry: 'FR', toParty: '007' });
  });

  test('a page for a token that sees every party, not addressed to one, names no sender', async () => {
    const answer = await get221(url(CDRS_221_PATH), PULL_TOKEN, routingFrom(GIREVE));
    expect(answerRouting(answer)).toEqual({ fromCountry: null, fromParty: null, toCountry: 'FR', toParty: '007' });
  });

  test('an unknown CDR is answered from the addressed party to the requester', async () => {
    const answer = await get221(url(`${CDRS_221_PATH}/NO-SUCH`), PULL_TOKEN, { ...routingFrom(GIREVE), ...routingTo(CPO) });
    expect(answer.status).toBe(404);
    expect(answerRouting(answer)).toEqual({ fromCountry: 'FR', fromParty: 'AB1', toCountry: 'FR', toParty: '007' });
  });

  test('the version list and details carry no routing headers, as configuration modules must not', async () => {
    for (const path of [VERSIONS_PATH, VERSION_DETAILS_221_PATH]) {
      const answer = await get221(url(path), PULL_TOKEN, { ...routingFrom(GIREVE), ...routingTo(CPO) });
      expect(answerRouting(answer)).toEqual({ fromCountry: null, fromParty: null, toCountry: null, toParty: null });
    }
  });

  test('a malformed routing header, or half a party, answers 400 with status 2001 naming the header', async () => {
    const malformed = await get221(url(CDRS_221_PATH), PULL_TOKEN, { 'OCPI-to-country-code': 'FRA', 'OCPI-to-party-id': 'AB1' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status_code: 2001, status_message: expect.stringContaining('ocpi-to-country-code') });
    const half = await get221(url(CDRS_221_PATH), PULL_TOKEN, { 'OCPI-from-party-id': '007' });
    expect(half.status).toBe(400);
    expect(half.body.status_message).toContain('ocpi-from-country-code');
  });
});
