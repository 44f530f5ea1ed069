/**
 * `cdrflow demo`: the whole pipeline on one machine. Temporal dev server (with its Web UI
 * and a persistent SQLite file under .data/), Postgres, a mock IOP, the worker and the
 * OCPI API; then a few ended sessions, the first POSTs refused by the IOP to show store and
 * forward. Stays up for the Temporal UI until Ctrl-C when run from a terminal.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer } from '../api/server';
import { startCdr } from '../client/start-cdr';
import { apiConfig, iopConfig, temporalConfig } from '../config';
import { ensureDatabase } from '../dev/ensure-database';
import { startEmbeddedPostgres } from '../dev/embedded-postgres';
import { startMockIop } from '../dev/mock-iop';
import { simulatedSessionEnded } from '../dev/simulated-session';
import { migrate } from '../store/migrate';
import { packageRoot } from '../package-root';
import { openTemporalClient, temporalConnectionOptions } from '../temporal/temporal-connection';
import { createPool } from '../store/pool';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { createCdrWorker } from '../worker/create-worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { cdrSessionWorkflow } from '../../workflows/cdr-session';
import { onShutdownSignal } from './process-lifecycle';

const DEMO_PARTY = { country_code: 'FR', party_id: 'DEM' };
/** Git-ignored; CDRFLOW_DATA_DIR moves it (the tests do). */
const DATA_DIR = process.env.CDRFLOW_DATA_DIR ?? join(packageRoot(), '.data');

export async function runDemoCommand(options: { sessions: string; stay: boolean }): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  mkdirSync(DATA_DIR, { recursive: true });
  const stopActions: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stopActions.reverse()) await stop().catch(() => undefined);
  };

  // DATABASE_URL set: that server. Unset: an embedded Postgres (PGlite) under .data/, nothing to install.
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    await ensureDatabase(databaseUrl);
    say(`database     ${new URL(databaseUrl).pathname.slice(1)} on ${new URL(databaseUrl).host} (DATABASE_URL)`);
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir: join(DATA_DIR, 'pglite') });
    stopActions.push(() => embedded.stop());
    databaseUrl = embedded.url;
    say(`database     embedded Postgres (PGlite) in ${join(DATA_DIR, 'pglite')}, at ${new URL(databaseUrl).host}; set DATABASE_URL to use a server`);
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
  say(`mock IOP     ${mock.cdrsUrl}`);

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
  const api = await startApiServer({ pool, config: apiSettings });
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
  say(`\nhanding in ${count} ended sessions for ${DEMO_PARTY.country_code}*${DEMO_PARTY.party_id} (the IOP answers 500 to the first 3 POSTs)`);
  const started = [];
  for (let index = 0; index < count; index++) {
    const input = simulatedSessionEnded({
      party: DEMO_PARTY,
      sessionId: `DEMO-${runId}-${index + 1}`,
      start: new Date(Date.now() - (2 * 60 + index) * 60_000),
      kwh: 8 + index * 1.25,
    });
    started.push(await startCdr(client, input, { taskQueue: temporal.taskQueue }));
  }
  for (const { workflowId } of started) {
    const result = await client.workflow.getHandle<typeof cdrSessionWorkflow>(workflowId).result();
    say(`  ${workflowId}  ${result.status}  cdr ${result.cdrId}${result.status === 'delivered' ? `  check: ${result.check}` : ''}`);
  }
  const arrived = mock.received.map((entry) => entry.id);
  say(`\nthe mock IOP received ${arrived.length} CDRs after ${mock.postCount()} POSTs, in hand-in order: ${
    arrived.join(',') === started.map((s) => s.cdrId).join(',') ? 'yes' : 'NO'
  }`);
  const pulled = await fetch(`${api.url}/ocpi/cpo/2.1.1/cdrs?limit=100`, {
    headers: { authorization: `Token ${pullToken}` },
  });
  const pulledIds = new Set(((await pulled.json()) as { data: Array<{ id: string }> }).data.map((cdr) => cdr.id));
  say(`a GIREVE pull returns them too: ${started.filter((s) => pulledIds.has(s.cdrId)).length} of ${started.length} (X-Total-Count ${pulled.headers.get('x-total-count')})`);
  say(`\nsee them in the Temporal UI: ${uiUrl}/namespaces/${temporal.namespace}/workflows?query=${encodeURIComponent(`CdrOperatorId="FR*DEM"`)}`);
  say(`pull them as GIREVE would:  curl -H 'Authorization: Token ${pullToken}' '${api.url}/ocpi/cpo/2.1.1/cdrs?limit=20'`);

  if (!options.stay) {
    await stopAll();
    return;
  }
  say('\ndemo is running; press Ctrl-C to stop');
  onShutdownSignal(stopAll);
  await new Promise(() => undefined);
}
