/**
 * The Temporal server stops while CDRs are queued and comes back on its persistent file:
 * the queue picks up where it was, every CDR is delivered once, in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { iopConfig } from '../../src/config/index';
import { findCdr } from '../../src/store/cdr-repo';
import { freePort, startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { createCdrWorker, type CdrWorker } from '../../src/worker/create-worker';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { expectDeliveredOnceInOrder, handIn, partyOfWorkflow, resultsOf, simulatedSessions } from '../support/sessions';
import { bundleWorkflows, waitFor } from '../support/temporal';

let db: TestDatabase;
let iop: MockIop;
let bundle: WorkflowBundleWithSourceMap;
let server: DevServer | undefined;
let worker: CdrWorker | undefined;
let workerRunning: Promise<void> | undefined;
let connection: Connection | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'cdrflow-temporal-'));

beforeAll(async () => {
  [db, iop, bundle] = await Promise.all([createTestDatabase(), startMockIop(), bundleWorkflows()]);
});
afterAll(async () => {
  await worker?.shutdown().catch(() => undefined);
  await workerRunning?.catch(() => undefined);
  await connection?.close().catch(() => undefined);
  await server?.stop();
  await iop?.close();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('CDRs queued when the Temporal server restarts are all delivered once, in order', async () => {
  const port = await freePort();
  const dbFile = join(dataDir, 'temporal.sqlite');
  server = await startDevServer({ port, dbFile });
  worker = await createCdrWorker({
    temporal: { address: server.address },
    namespace: 'default',
    taskQueue: 'cdrflow-restart',
    pool: db.pool,
    iop: iopConfig({
      IOP_CDRS_URL: iop.cdrsUrl,
      IOP_TOKEN: iop.token,
      IOP_RETRY_INITIAL_MS: '50',
      IOP_RETRY_MAX_MS: '300',
      IOP_CHECK_SETTLE_MS: '300',
    }),
    workflowBundle: bundle,
  });
  workerRunning = worker.run();
  connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });

  iop.control({ behaviour: 'http500' });
  const started = await handIn(client, 'cdrflow-restart', simulatedSessions(5, 'restart'));
  const party = partyOfWorkflow(started[0]!.workflowId);
  await waitFor('every CDR stored and the head failing', async () => {
    const rows = await Promise.all(started.map((s) => findCdr(db.pool, { ...party, id: s.cdrId })));
    return rows.every((row) => row?.status === 'queued') && (rows[0]?.attempts ?? 0) > 0 ? true : undefined;
  });

  await server.stop();
  iop.control({ behaviour: 'accept' });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(iop.received).toHaveLength(0); // nothing moves while Temporal is down
  server = await startDevServer({ port, dbFile });

  const results = await resultsOf(client, started);
  expect(results.map((r) => r.status)).toEqual(Array(5).fill('delivered'));
  expectDeliveredOnceInOrder(iop.received, started);
}, 180_000);
