/**
 * `cdrflow demo`: the whole pipeline on one machine. Temporal dev server (with its Web UI
 * and a persistent SQLite file under .data/), Postgres, two mock IOPs, the worker and the
 * OCPI API; then a few ended sessions for two CPO parties: FR*DEM on OCPI 2.1.1 through the
 * IOP_* receiver (its first POSTs refused, to show store and forward) and FR*DE2 on OCPI
 * 2.2.1 through a connection of its own, with a credit CDR. Stays up for the Temporal UI
 * until Ctrl-C when run from a terminal.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer } from '../api/server';
import { startCdr } from '../client/start-cdr';
import { apiConfig, iopConfig, temporalConfig } from '../config/index';
import { ensureDatabase } from '../dev/ensure-database';
import { startEmbeddedPostgres } from '../dev/embedded-postgres';
import { startMockIop } from '../dev/mock-iop';
import { simulatedSessionEnded } from '../dev/simulated-session';
import { migrate } from '../store/migrate';
import { addConnection, updateConnection } from '../store/connection-repo';
import { issueCreditCdr } from '../operator/credit-cdr';
import type { Pool } from 'pg';
import { packageRoot } from '../package-root';
import { openTemporalClient, temporalConnectionOptions } from '../temporal/temporal-connection';
import { createPool } from '../store/pool';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { createCdrWorker } from '../worker/create-worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { cdrSessionWorkflow } from '../../workflows/cdr-session';
import { onShutdownSignal } from './process-lifecycle';
import { ocpiTokenHeader } from '../ocpi/transport';

const DEMO_PARTY = { country_code: 'FR', party_id: 'DEM' };
/** On OCPI 2.2.1, through its own connection (as `cdrflow connection add` makes it). */
const DEMO_PARTY_221 = { country_code: 'FR', party_id: 'DE2' };
const DEMO_CONNECTION_221 = 'gireve-221';
/** Git-ignored; CDRFLOW_DATA_DIR moves it (the tests do). */
const DATA_DIR = process.env.CDRFLOW_DATA_DIR ?? join(packageRoot(), '.data');

export async function runDemoCommand(options: { sessions: string; stay: boolean }): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  mkdirSync(DATA_DIR, { recursive: true });
  // The screen tells the story; the worker's and the API's own logs go to a file.
  const logFile = join(DATA_DIR, 'demo.log');
  const logLine = (line: string) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) =>
      logLine(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`),
    ),
  });
  say(`logs         ${logFile} (worker, API and database server)`);
  const stopActions: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stopActions.reverse()) await stop().catch(() => undefined);
  };

  // DATABASE_URL set: that server. Unset: the embedded PostgreSQL server (scripts/setup installs it), data under .data/.
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    await ensureDatabase(databaseUrl);
    say(`database     ${new URL(databaseUrl).pathname.slice(1)} on ${new URL(databaseUrl).host} (DATABASE_URL)`);
  } else {
    const dataDir = join(DATA_DIR, 'postgres');
    const embedded = await startEmbeddedPostgres({ dataDir, logFile });
    stopActions.push(() => embedded.stop());
    const url = new URL(embedded.url);
    url.pathname = '/cdrflow';
    databaseUrl = url.toString();
    await ensureDatabase(databaseUrl);
    say(`database     embedded PostgreSQL in ${dataDir}; in another terminal: export DATABASE_URL=${databaseUrl}`);
  }
  const pool = createPool(databaseUrl);
  stopActions.push(() => pool.end());
  await migrate(pool);

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let uiUrl = process.env.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';
  if (!temporalAddress) {
    const devServer: DevServer = await startDevServer({
      port: 7233,
      headless: false,
      uiPort: 8233,
      dbFile: join(DATA_DIR, 'temporal-dev.sqlite'),
    });
    stopActions.push(() => devServer.stop());
    temporalAddress = devServer.address;
    uiUrl = devServer.uiUrl ?? uiUrl;
  }
  say(`temporal     ${temporalAddress}, Web UI ${uiUrl}`);

  const mock = await startMockIop({ port: Number(process.env.MOCK_IOP_PORT ?? 8090) });
  stopActions.push(() => mock.close());
  say(`mock IOP     ${mock.cdrsUrl} (OCPI 2.1.1, IOP_*: every party without a connection)`);
  const mock221 = await startMockIop({
    port: Number(process.env.MOCK_IOP_221_PORT ?? 8091),
    token: 'mock-iop-221-token',
    ocpiVersion: '2.2.1',
    // Plays GIREVE's pre-production: every request must be addressed to it.
    hubParty: DEMO_HUB_PARTY,
  });
  stopActions.push(() => mock221.close());
  await connectDemoParty221(pool, mock221.cdrsUrl, mock221.token);
  say(`mock IOP     ${mock221.cdrsUrl} (OCPI 2.2.1 as GIREVE ${DEMO_HUB_PARTY}, connection ${DEMO_CONNECTION_221} of FR*DE2)`);

  const temporal = temporalConfig({ ...process.env, TEMPORAL_ADDRESS: temporalAddress });
  const worker = await createCdrWorker({
    temporal: temporalConnectionOptions(temporal),
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    pool,
    iop: iopConfig({ IOP_CDRS_URL: mock.cdrsUrl, IOP_TOKEN: mock.token, IOP_RETRY_INITIAL_MS: '500', IOP_RETRY_MAX_MS: '2000' }),
  });
  const workerRunning = worker.run();
  stopActions.push(async () => {
    await worker.shutdown();
    await workerRunning;
  });

  const apiSettings = apiConfig({
    API_PORT: process.env.API_PORT ?? '8080',
    OCPI_TOKENS: process.env.OCPI_TOKENS ?? 'demo-pull-token',
    OCPI_BASE_URL: process.env.OCPI_BASE_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? '8080'}`,
  });
  const pullToken = apiSettings.clients[0]!.token;
  const api = await startApiServer({ pool, config: apiSettings, logError: (error) => logLine(`ERROR api: ${String(error)}`) });
  // Port 0 (tests): the public base URL is known only once the API listens.
  if (apiSettings.port === 0) apiSettings.baseUrl = api.url;
  stopActions.push(() => api.close());
  say(`OCPI API     ${api.url}/ocpi/versions`);

  const client = await openTemporalClient(temporal);
  stopActions.push(() => client.connection.close());

  // The IOP is "down" for the first POSTs: the queue holds the CDRs and retries the head.
  mock.control({ failNext: 3, failNextBehaviour: 'http500' });
  const runId = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const count = Number(options.sessions);
  say(
    `\nhanding in ${count} ended sessions for FR*DEM (OCPI 2.1.1; the IOP answers 500 to the first 3 POSTs) ` +
      `and ${count} for FR*DE2 (OCPI 2.2.1), one party after the other`,
  );
  const started: Record<'v211' | 'v221', Array<{ workflowId: string; cdrId: string }>> = { v211: [], v221: [] };
  for (let index = 0; index < count; index++) {
    for (const [form, party] of [
      ['v211', DEMO_PARTY],
      ['v221', DEMO_PARTY_221],
    ] as const) {
      const input = simulatedSessionEnded({
        party,
        sessionId: `DEMO-${runId}-${index + 1}`,
        start: new Date(Date.now() - (2 * 60 + index) * 60_000),
        kwh: 8 + index * 1.25,
      });
      started[form].push(await startCdr(client, input, { taskQueue: temporal.taskQueue }));
    }
  }
  for (const { workflowId } of [...started.v211, ...started.v221]) {
    const result = await client.workflow.getHandle<typeof cdrSessionWorkflow>(workflowId).result();
    say(`  ${workflowId}  ${result.status}  cdr ${result.cdrId}${result.status === 'delivered' ? `  check: ${result.check}` : ''}`);
  }
  const inOrder = (received: Array<{ id: string }>, handedIn: Array<{ cdrId: string }>) => {
    const wanted = new Set(handedIn.map((s) => s.cdrId));
    return received
      .map((entry) => entry.id)
      .filter((id) => wanted.has(id))
      .join(',') === handedIn.map((s) => s.cdrId).join(',')
      ? 'yes'
      : 'NO';
  };
  say(
    `\nthe 2.1.1 mock IOP received ${mock.received.length} CDRs after ${mock.postCount()} POSTs, in hand-in order: ${inOrder(mock.received, started.v211)}`,
  );
  const first221 = mock221.received[0];
  say(
    `the 2.2.1 mock IOP received ${mock221.received.length} CDRs, in hand-in order: ${inOrder(mock221.received, started.v221)}` +
      (first221
        ? ` (headers: X-Request-ID ${first221.headers['x-request-id']}, OCPI-from ${first221.headers['ocpi-from-country-code']}*${first221.headers['ocpi-from-party-id']}, OCPI-to ${first221.headers['ocpi-to-country-code']}*${first221.headers['ocpi-to-party-id']})`
        : ''),
  );
  for (const [version, handedIn] of [
    ['2.1.1', started.v211],
    ['2.2.1', started.v221],
  ] as const) {
    const pulled = await fetch(`${api.url}/ocpi/cpo/${version}/cdrs?limit=100`, {
      headers: { authorization: ocpiTokenHeader(version, pullToken) },
    });
    const pulledIds = new Set(((await pulled.json()) as { data: Array<{ id: string }> }).data.map((cdr) => cdr.id));
    say(
      `a GIREVE pull (OCPI ${version}) returns them too: ${handedIn.filter((s) => pulledIds.has(s.cdrId)).length} of ${handedIn.length} (X-Total-Count ${pulled.headers.get('x-total-count')})`,
    );
  }
  // A correction in OCPI 2.2.1: the credit CDR that cancels the first one, through the same queue.
  const cancelled = started.v221[0];
  if (cancelled) {
    const credit = await issueCreditCdr(
      { client, pool, taskQueue: temporal.taskQueue },
      DEMO_PARTY_221,
      cancelled.cdrId,
      'demo: wrong tariff applied',
    );
    await waitUntil(() => mock221.received.some((entry) => entry.id === credit.creditCdrId), 30_000);
    const order = mock221.received.map((entry) => entry.id);
    say(
      `credit CDR ${credit.creditCdrId} reached the 2.2.1 IOP after the CDR it cancels: ${order.indexOf(credit.creditCdrId) > order.indexOf(cancelled.cdrId) ? 'yes' : 'NO'}`,
    );
  }
  say(
    `\nsee them in the Temporal UI: ${uiUrl}/namespaces/${temporal.namespace}/workflows?query=${encodeURIComponent(`CdrOperatorId="FR*DEM" OR CdrOperatorId="FR*DE2"`)}`,
  );
  say(`pull them as GIREVE would:  curl -H 'Authorization: Token ${pullToken}' '${api.url}/ocpi/cpo/2.1.1/cdrs?limit=20'`);
  say(
    `                  (2.2.1):  curl -H 'Authorization: ${ocpiTokenHeader('2.2.1', pullToken)}' '${api.url}/ocpi/cpo/2.2.1/cdrs?limit=20'`,
  );

  if (!options.stay) {
    await stopAll();
    return;
  }
  say('\ndemo is running; press Ctrl-C to stop');
  onShutdownSignal(stopAll);
  await new Promise(() => undefined);
}

/** GIREVE's pre-production party, which the demo's 2.2.1 mock IOP answers as. */
const DEMO_HUB_PARTY = 'FR*107';

/** FR*DE2's own 2.2.1 connection; the demo's database may keep it from an earlier run (its port may differ). */
async function connectDemoParty221(pool: Pool, cdrsUrl: string, token: string): Promise<void> {
  const toParty = { country_code: 'FR', party_id: DEMO_HUB_PARTY.slice(3) };
  const settings = { ocpiVersion: '2.2.1' as const, cdrsUrl, token, checkUrlTemplate: null, toParty };
  const updated = await updateConnection(pool, DEMO_PARTY_221, DEMO_CONNECTION_221, { ...settings, enabled: true });
  if (!updated) await addConnection(pool, { party: DEMO_PARTY_221, name: DEMO_CONNECTION_221, enabled: true, ...settings });
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
