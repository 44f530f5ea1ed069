/**
 * `cdrflow worker` and `cdrflow api` as deployed: their own processes, JSON log lines on
 * stderr (Temporal's workflow and activity logs included, with their ids), metrics on
 * HTTP, and never a token in what they write.
 */
import { randomBytes } from 'node:crypto';
import { operatorId } from '../../../src/ocpi/party';
import { useStack } from '../../support/stack';
import { parseExposition, valueOf } from '../../support/prometheus-text';
import { handIn, resultOf, simulatedSessions } from '../../support/sessions';
import { connectClient, randomParty, temporalAddress, waitFor } from '../../support/temporal';
import { spawnCdrflow, spawnWorker, type CdrflowProcess } from '../../support/worker-process';

const IOP_TOKEN = 'iop-token-never-logged-5d1f';
const PULL_TOKEN = 'pull-token-never-logged-c09a';
const METRICS_TOKEN = 'metrics-token-never-logged-77e2';

const stack = useStack({ mockIop: { token: IOP_TOKEN } });
const processes: CdrflowProcess[] = [];

afterAll(async () => {
  for (const started of processes) await started.kill();
});

type LogLine = Record<string, unknown>;

/** Every line the process wrote, parsed; fails on a line that is not JSON. */
function logLines(started: CdrflowProcess): LogLine[] {
  return started
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

function expectNoToken(started: CdrflowProcess): void {
  for (const token of [IOP_TOKEN, PULL_TOKEN, METRICS_TOKEN]) expect(started.output()).not.toContain(token);
}

async function scrape(url: string) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

test('the worker logs JSON lines, activity logs carry the workflow, CPO and CDR ids, and its metrics count the delivery', async () => {
  const taskQueue = `cdrflow-logs-${randomBytes(4).toString('hex')}`;
  const worker = await spawnWorker({
    DATABASE_URL: stack.db.url,
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    IOP_CDRS_URL: stack.mockIop.cdrsUrl,
    IOP_TOKEN,
    IOP_RETRY_INITIAL_MS: '50',
    WORKER_METRICS_PORT: '0',
    METRICS_TOKEN,
  });
  processes.push(worker);
  const startup = logLines(worker).find((line) => String(line.msg).startsWith('cdrflow worker: task queue'));
  expect(startup).toMatchObject({
    level: 'info',
    name: 'cdrflow-worker',
    taskQueue,
    metrics: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/),
  });

  const party = randomParty();
  stack.mockIop.control({ failNext: 1, failNextBehaviour: 'reject' });
  const client = await connectClient();
  try {
    const [started] = await handIn(client, taskQueue, simulatedSessions(1, 'logs-rejected', party));
    expect((await resultOf(client, started!.workflowId)).status).toBe('rejected');
    // The line crosses a pipe from the worker process: it may land a moment after the result.
    const rejected = await waitFor('the rejection log line', () => logLines(worker).find((line) => line.msg === 'IOP rejected CDR'));
    expect(rejected).toMatchObject({
      level: 'warn',
      sdkComponent: 'activity',
      workflowId: `cdr-queue:${operatorId(party)}`,
      activityType: 'deliverCdrs',
      operator: operatorId(party),
      cdrId: started!.cdrId,
      taskToken: '[Redacted]',
    });
  } finally {
    await client.connection.close();
  }

  const samples = await scrape(String(startup!.metrics));
  expect(valueOf(samples, 'cdrflow_deliveries_total', { cpo: operatorId(party), connection: 'default', outcome: 'rejected' })).toBe(1);
  expectNoToken(worker);
});

test('the API logs JSON lines and serves /metrics on API_METRICS_PORT, not its public port, counting the pulls it answered', async () => {
  const api = await spawnCdrflow(
    'api',
    { DATABASE_URL: stack.db.url, API_PORT: '0', API_METRICS_PORT: '0', OCPI_TOKENS: PULL_TOKEN, METRICS_TOKEN },
    'cdrflow api: listening on',
  );
  processes.push(api);
  const startup = logLines(api).find((line) => String(line.msg).startsWith('cdrflow api: listening on'));
  expect(startup).toMatchObject({
    level: 'info',
    name: 'cdrflow-api',
    metrics: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/),
    metricsProtected: true,
  });

  const url = String(startup!.url);
  expect((await fetch(`${url}/ocpi/versions`, { headers: { authorization: `Token ${PULL_TOKEN}` } })).status).toBe(200);
  expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
  expect(String(startup!.metrics)).not.toBe(`${url}/metrics`);
  const samples = await scrape(String(startup!.metrics));
  expect(valueOf(samples, 'cdrflow_api_requests_total', { route: '/ocpi/versions', status: '200' })).toBe(1);
  expect(valueOf(samples, 'cdrflow_store_up')).toBe(1);
  expectNoToken(api);
});

test('the intake logs JSON lines, hands sessions in over HTTP and never logs its tokens', async () => {
  const INTAKE_TOKEN = 'intake-token-never-logged-3b8d';
  const intake = await spawnCdrflow(
    'intake',
    { TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_TASK_QUEUE: 'cdrflow-intake-process', INTAKE_TOKENS: INTAKE_TOKEN, INTAKE_PORT: '0' },
    'cdrflow intake: POST',
  );
  processes.push(intake);
  const startup = logLines(intake).find((line) => String(line.msg).startsWith('cdrflow intake: POST'));
  expect(startup).toMatchObject({ level: 'info', name: 'cdrflow-intake' });
  const post = (body: unknown) =>
    fetch(String(startup!.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const invalid = await post({ party: { country_code: 'FR', party_id: 'INT' } });
  expect(invalid.status).toBe(400);
  const [session] = simulatedSessions(1, 'intake-process', randomParty());
  const accepted = await post(session);
  expect(accepted.status).toBe(201);
  expect(((await accepted.json()) as { workflowId: string }).workflowId).toMatch(/^cdr:Z[A-Z]\*[0-9A-Z]{3}:intake-process-0$/);
  expect(intake.output()).not.toContain(INTAKE_TOKEN);
});

test.each(['worker', 'api'])(
  'the %s refuses to start with metrics beyond loopback and no METRICS_TOKEN, naming the variables',
  async (command) => {
    const prefix = command === 'worker' ? 'WORKER' : 'API';
    const env = {
      DATABASE_URL: stack.db.url,
      TEMPORAL_ADDRESS: temporalAddress(),
      IOP_CDRS_URL: stack.mockIop.cdrsUrl,
      IOP_TOKEN,
      API_PORT: '0',
      OCPI_TOKENS: PULL_TOKEN,
      [`${prefix}_METRICS_PORT`]: '0',
      [`${prefix}_METRICS_HOST`]: '0.0.0.0',
    };
    const readyText = command === 'worker' ? 'cdrflow worker: task queue' : 'cdrflow api: listening on';
    const started = spawnCdrflow(command, env, readyText);
    // Should it start after all, it is stopped with the others (and the test fails at once).
    started.then(
      (child) => processes.push(child),
      () => undefined,
    );
    await expect(started).rejects.toThrow(
      new RegExp(`exited with 2 before starting:[\\s\\S]*${prefix}_METRICS_HOST: 0\\.0\\.0\\.0 is beyond loopback.*METRICS_TOKEN`),
    );
    const message = await started.then(
      () => '',
      (error: Error) => error.message,
    );
    for (const token of [IOP_TOKEN, PULL_TOKEN]) expect(message).not.toContain(token);
  },
);
