/**
 * A malformed request is the client's mistake: HTTP 400, OCPI status 2001, and a message
 * naming the parameter and its rule, never a 500 and never a silently widened pull.
 */
import fc from 'fast-check';
import { CDRS_PATH, VERSIONS_PATH } from '../../../src/api/paths';
import { ocpiGet, startTestApi, storeCdr, type TestApi } from './api-harness';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await storeCdr(api.db.pool, 'BAD-1', new Date('2024-02-01T00:00:00Z'));
});
afterAll(async () => {
  await api.stop();
});

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const goodKey = ['2024-02-01T00:00:00.000000Z', 'FR', 'AB1', 'BAD-1'];

interface BadRequest {
  rule: string;
  /** Path and query after the API base URL. */
  target: string;
  /** The parameter the message must name. */
  parameter: string;
}

const list = (query: string) => `${CDRS_PATH}?${query}`;

const badRequests: BadRequest[] = [
  // date_from / date_to
  { rule: 'date_from must be a date-time, not a word', target: list('date_from=yesterday'), parameter: 'date_from' },
  { rule: 'date_from must carry a time, not only a date', target: list('date_from=2024-05-01'), parameter: 'date_from' },
  { rule: 'date_from must not carry an offset', target: list('date_from=2024-05-01T10:00:00%2B01:00'), parameter: 'date_from' },
  { rule: 'date_from +00:00 is not UTC in OCPI', target: list('date_from=2024-05-01T10:00:00%2B00:00'), parameter: 'date_from' },
  { rule: 'date_from with an unencoded + offset is refused', target: list('date_from=2024-05-01T10:00:00+01:00'), parameter: 'date_from' },
  { rule: 'date_from must be a real calendar day', target: list('date_from=2024-02-30T10:00:00Z'), parameter: 'date_from' },
  { rule: 'date_from hour 24 does not exist', target: list('date_from=2024-05-01T24:00:00Z'), parameter: 'date_from' },
  { rule: 'date_from second 60 does not exist', target: list('date_from=2024-05-01T10:00:60Z'), parameter: 'date_from' },
  { rule: 'date_from must not be empty', target: list('date_from='), parameter: 'date_from' },
  { rule: 'date_from has at most 4 fraction digits', target: list('date_from=2024-05-01T10:00:00.12345Z'), parameter: 'date_from' },
  { rule: 'date_from year 0000 does not exist', target: list('date_from=0000-01-01T00:00:00Z'), parameter: 'date_from' },
  { rule: 'date_from needs the T separator', target: list('date_from=2024-05-01%2010:00:00Z'), parameter: 'date_from' },
  { rule: 'date_from is not a Unix timestamp', target: list('date_from=1714557600'), parameter: 'date_from' },
  { rule: 'date_to must be a date-time', target: list('date_to=not-a-date'), parameter: 'date_to' },
  { rule: 'date_to month 13 does not exist', target: list('date_to=2024-13-01T00:00:00Z'), parameter: 'date_to' },
  {
    rule: 'date_to must not be earlier than date_from',
    target: list('date_from=2024-05-02T00:00:00Z&date_to=2024-05-01T00:00:00Z'),
    parameter: 'date_to',
  },
  // offset
  { rule: 'offset must not be negative', target: list('offset=-1'), parameter: 'offset' },
  { rule: 'offset must be a number', target: list('offset=abc'), parameter: 'offset' },
  { rule: 'offset must be whole', target: list('offset=1.5'), parameter: 'offset' },
  { rule: 'offset is written in plain digits, not exponent', target: list('offset=1e3'), parameter: 'offset' },
  { rule: 'offset is written in plain digits, not hex', target: list('offset=0x10'), parameter: 'offset' },
  { rule: 'offset must not be empty', target: list('offset='), parameter: 'offset' },
  { rule: 'offset must not carry spaces', target: list('offset=%201'), parameter: 'offset' },
  { rule: 'offset has an upper bound', target: list('offset=99999999999'), parameter: 'offset' },
  // limit
  { rule: 'limit must not be 0', target: list('limit=0'), parameter: 'limit' },
  { rule: 'limit must not be negative', target: list('limit=-5'), parameter: 'limit' },
  { rule: 'limit must be whole', target: list('limit=2.5'), parameter: 'limit' },
  { rule: 'limit must be a number', target: list('limit=ten'), parameter: 'limit' },
  { rule: 'limit must not be empty', target: list('limit='), parameter: 'limit' },
  { rule: 'limit is written without sign', target: list('limit=%2B5'), parameter: 'limit' },
  // cursor
  { rule: 'cursor must be base64url', target: list('cursor=not*base64'), parameter: 'cursor' },
  { rule: 'cursor must decode to JSON', target: list(`cursor=${Buffer.from('hello').toString('base64url')}`), parameter: 'cursor' },
  { rule: 'cursor must hold a sort key', target: list(`cursor=${cursorOf({ offset: 3 })}`), parameter: 'cursor' },
  {
    rule: 'cursor must hold a real timestamp',
    target: list(`cursor=${cursorOf(['2024-02-30T00:00:00.000000Z', 'FR', 'AB1', 'X'])}`),
    parameter: 'cursor',
  },
  {
    rule: 'cursor must not smuggle NUL characters to the database',
    target: list(`cursor=${cursorOf(['2024-02-01T00:00:00.000000Z', 'FR', 'AB1', 'X\u0000'])}`),
    parameter: 'cursor',
  },
  { rule: 'cursor must not be empty', target: list('cursor='), parameter: 'cursor' },
  { rule: 'cursor cannot be tampered with a trailing character', target: list(`cursor=${cursorOf(goodKey)}!`), parameter: 'cursor' },
  // unknown and repeated parameters
  { rule: 'unknown parameters are refused', target: list('foo=bar'), parameter: 'foo' },
  { rule: 'a misspelt date_from is refused, not ignored', target: list('date_form=2024-05-01T00:00:00Z'), parameter: 'date_form' },
  { rule: 'parameter names are case-sensitive', target: list('Limit=10'), parameter: 'Limit' },
  { rule: 'limit may appear only once', target: list('limit=5&limit=6'), parameter: 'limit' },
  { rule: 'offset may appear only once, even with the same value', target: list('offset=1&offset=1'), parameter: 'offset' },
  {
    rule: 'date_from may appear only once',
    target: list('date_from=2024-05-01T00:00:00Z&date_from=2024-05-02T00:00:00Z'),
    parameter: 'date_from',
  },
  { rule: 'the versions endpoint takes no parameters', target: `${VERSIONS_PATH}?limit=5`, parameter: 'limit' },
  { rule: 'the check endpoint takes no parameters', target: `${CDRS_PATH}/BAD-1?date_from=2024-05-01T00:00:00Z`, parameter: 'date_from' },
  // path parameter of the check endpoint
  { rule: 'cdr_id is at most 36 characters', target: `${CDRS_PATH}/${'X'.repeat(37)}`, parameter: 'cdr_id' },
  { rule: 'cdr_id is printable ASCII', target: `${CDRS_PATH}/caf%C3%A9`, parameter: 'cdr_id' },
  { rule: 'cdr_id must be valid percent-encoding', target: `${CDRS_PATH}/%FF%FE`, parameter: 'cdr_id' },
];

test('the table covers at least 30 malformed requests', () => {
  expect(badRequests.length).toBeGreaterThanOrEqual(30);
});

test.each(badRequests)('$rule: 400 with status 2001 naming $parameter', async ({ target, parameter }) => {
  const answer = await ocpiGet(`${api.url}${target}`);
  expect({ status: answer.status, status_code: answer.body.status_code }).toEqual({ status: 400, status_code: 2001 });
  expect(answer.body.status_message).toContain(parameter);
  expect(answer.body.timestamp).toMatch(/Z$/);
  expect(answer.body.data).toBeUndefined();
});

test('a cursor this server wrote, unchanged, is accepted', async () => {
  const answer = await ocpiGet(`${api.url}${list(`cursor=${cursorOf(goodKey)}`)}`);
  expect(answer.status).toBe(200);
});

// Pieces a hostile or broken client might send, glued at random into query strings and ids.
const queryPiece = fc.constantFrom(
  'date_from',
  'date_to',
  'offset',
  'limit',
  'cursor',
  '=',
  '&',
  '%',
  '%00',
  '%FF',
  '+',
  '-1',
  '0',
  '1e9',
  '9999999999999999999999',
  '2024-05-01T00:00:00Z',
  '2024-05-01T00:00:00.1234Z',
  'T',
  'Z',
  ':',
  '.',
  'null',
  '[]',
  '{}',
  '\u00e9',
  '%E2%82%AC',
  ' ',
  '#',
  '?',
  '/',
  'eyJ',
  '__proto__',
  'constructor',
);

test('no query string, however broken, makes the pull answer anything but 200 or 400 with the envelope', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(queryPiece, { maxLength: 12 }), async (pieces) => {
      const answer = await ocpiGet(`${api.url}${CDRS_PATH}?${encodeURI(pieces.join('')).replace(/%25/g, '%')}`);
      expect([200, 400]).toContain(answer.status);
      expect(answer.body.status_code).toBe(answer.status === 200 ? 1000 : 2001);
      expect(answer.body.timestamp).toMatch(/Z$/);
    }),
    { numRuns: 300 },
  );
});

test('no CDR id in the path, however broken, makes the check answer anything but 200, 400 or 404', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(queryPiece, { minLength: 1, maxLength: 8 }), async (pieces) => {
      const id = encodeURI(pieces.join('')).replace(/%25/g, '%').replace(/[?#]/g, '_');
      const answer = await ocpiGet(`${api.url}${CDRS_PATH}/${id}`);
      expect([200, 400, 404]).toContain(answer.status);
      expect(answer.body.status_code).toBe(answer.status === 200 ? 1000 : answer.status === 400 ? 2001 : 2000);
    }),
    { numRuns: 300 },
  );
});
