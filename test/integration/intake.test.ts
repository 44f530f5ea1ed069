/**
 * The intake for non-TypeScript backends, over real HTTP to a real pipeline: POST
 * /sessions/ended hands a session in once, whatever the retries, and refuses bad input
 * with the field and the rule.
 */
import { startCdr } from '../../src/client/start-cdr';
import { startIntakeServer } from '../../src/intake/intake-server';
import { resultOf, simulatedSessions } from '../support/sessions';
import { usePipeline } from '../support/temporal';

const TOKEN = 'backend-intake-token-7c1';
const suite = usePipeline();
let intake: { url: string; close(): Promise<void> };

beforeAll(async () => {
  intake = await startIntakeServer({
    host: '127.0.0.1',
    port: 0,
    tokens: ['other-token', TOKEN],
    startSession: (input) => startCdr(suite.pipeline.client, input, { taskQueue: suite.pipeline.taskQueue }),
  });
});
afterAll(async () => {
  await intake?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${intake.url}/sessions/ended`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('hands a session in and answers its workflow id; a repeat answers 200 with the same ids and makes no second CDR', async () => {
  const [input] = simulatedSessions(1, 'intake');
  const first = await post(input);
  expect(first.status).toBe(201);
  const started = (await first.json()) as { workflowId: string; cdrId: string; alreadyStarted: boolean };
  expect(started.workflowId).toBe(`cdr:${input!.party.country_code}*${input!.party.party_id}:intake-0`);
  const again = await post(input);
  expect(again.status).toBe(200);
  expect(await again.json()).toEqual({ ...started, alreadyStarted: true });
  expect((await resultOf(suite.pipeline.client, started.workflowId)).status).toBe('delivered');
  expect(suite.pipeline.iop.received.filter((r) => r.id === started.cdrId)).toHaveLength(1);
});

test('refuses an invalid SessionEnded with every field and rule, and hands nothing in', async () => {
  const [input] = simulatedSessions(1, 'intake-bad');
  const response = await post({ ...input, session: { ...input!.session, currency: 'EURO', start_datetime: '2026-11-20T08:00:00+01:00' } });
  expect(response.status).toBe(400);
  const body = (await response.json()) as { problems: string[] };
  expect(body.problems.join('\n')).toMatch(/^session\.currency: /m);
  expect(body.problems.join('\n')).toMatch(/^session\.start_datetime: /m);
  expect((await suite.db.pool.query('SELECT count(*) FROM cdrs WHERE session_id = $1', ['intake-bad-0'])).rows[0].count).toBe(0);
});

test.each([
  ['no token', 401, { authorization: '' }, '{}'],
  ['an unknown token', 401, { authorization: 'Bearer nope' }, '{}'],
  ['a body that is not JSON', 400, {}, '{"party":'],
  ['a body that is not declared JSON', 415, { 'content-type': 'text/plain' }, '{}'],
  ['a body over 1 MB', 413, {}, JSON.stringify({ padding: 'x'.repeat(1_100_000) })],
])('answers %s with HTTP %d', async (_name, status, headers, body) => {
  const response = await post(body, headers as Record<string, string>);
  expect(response.status).toBe(status);
  expect(((await response.json()) as { error: string }).error).toEqual(expect.any(String));
});

test('answers only POST /sessions/ended', async () => {
  expect((await fetch(`${intake.url}/sessions/ended`)).status).toBe(405);
  expect((await fetch(`${intake.url}/sessions`, { method: 'POST' })).status).toBe(404);
  expect((await fetch(`${intake.url}/health`)).status).toBe(200);
});
