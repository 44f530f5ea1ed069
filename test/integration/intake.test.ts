/**
 * The intake for non-TypeScript backends, over real HTTP to a real pipeline: POST
 * /sessions/ended hands a session in once, whatever the retries, and refuses bad input
 * with the field and the rule.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { operatorId, type Party } from '../../src/ocpi/party';
import { startCdr } from '../../src/client/start-cdr';
import { intakeConfig } from '../../src/config/index';
import { startIntakeServer } from '../../src/intake/intake-server';
import { cdrWorkflowId, cpoQueueWorkflowId } from '../../workflows/ids';
import { resultOf, simulatedSessions } from '../support/sessions';
import { randomParty, usePipeline } from '../support/temporal';

const TOKEN = 'backend-intake-token-7c1';
/** A backend that acts for its own two parties only. */
const SCOPED_TOKEN = 'scoped-backend-token-2f9';
const suite = usePipeline();
let intake: { url: string; close(): Promise<void> };
let ownParties: Party[];
let foreignParty: Party;

beforeAll(async () => {
  ownParties = [randomParty(), randomParty()];
  foreignParty = randomParty();
  const { clients } = intakeConfig({
    INTAKE_TOKENS: `other-token,${TOKEN},${SCOPED_TOKEN}=${ownParties.map(operatorId).join('+')}`,
  });
  intake = await startIntakeServer({
    host: '127.0.0.1',
    port: 0,
    clients,
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

describe('a token scoped to its parties (INTAKE_TOKENS entry token=FR*ABC+FR*DEF)', () => {
  const postAs = (token: string, body: unknown) => post(body, { authorization: `Bearer ${token}` });

  test('hands in the sessions of each of its parties', async () => {
    for (const [index, party] of ownParties.entries()) {
      const [input] = simulatedSessions(1, `scoped-own-${index}`, party);
      const response = await postAs(SCOPED_TOKEN, input);
      expect(response.status).toBe(201);
      expect(((await response.json()) as { workflowId: string }).workflowId).toBe(cdrWorkflowId(party, `scoped-own-${index}-0`));
    }
  });

  test("refuses another party's session with 403 naming that party, and starts nothing in Temporal", async () => {
    const [input] = simulatedSessions(1, 'scoped-foreign', foreignParty);
    const response = await postAs(SCOPED_TOKEN, input);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; party: string };
    expect(body).toEqual({ error: expect.stringContaining(operatorId(foreignParty)), party: operatorId(foreignParty) });
    for (const workflowId of [cdrWorkflowId(foreignParty, 'scoped-foreign-0'), cpoQueueWorkflowId(foreignParty)]) {
      await expect(suite.pipeline.client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    }
  });

  test('an unscoped token still hands in the sessions of any party', async () => {
    const [input] = simulatedSessions(1, 'unscoped-any', foreignParty);
    expect((await postAs(TOKEN, input)).status).toBe(201);
  });
});
