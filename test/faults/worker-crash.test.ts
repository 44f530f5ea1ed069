/**
 * The worker process is killed (SIGKILL) while a POST is on the wire, then a new one
 * starts: nothing is lost, nothing is sent twice, the order holds.
 */
import { randomBytes } from 'node:crypto';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { deliveryRow } from '../support/deliveries';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { expectDeliveredOnceInOrder, handIn, partyOfWorkflow, resultsOf, simulatedSessions } from '../support/sessions';
import { connectClient, temporalAddress, waitFor } from '../support/temporal';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import type { Client } from '@temporalio/client';

let db: TestDatabase;
let iop: MockIop;
let client: Client;
let worker: WorkerProcess | undefined;
const taskQueue = `cdrflow-crash-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  [db, iop, client] = await Promise.all([createTestDatabase(), startMockIop(), connectClient()]);
});
afterAll(async () => {
  await worker?.kill();
  await client?.connection.close();
  await iop?.close();
  await db?.drop();
});

const workerEnv = () => ({
  DATABASE_URL: db.url,
  TEMPORAL_ADDRESS: temporalAddress(),
  TEMPORAL_TASK_QUEUE: taskQueue,
  IOP_CDRS_URL: iop.cdrsUrl,
  IOP_TOKEN: iop.token,
  IOP_REQUEST_TIMEOUT_MS: '5000',
  IOP_RETRY_INITIAL_MS: '50',
  IOP_RETRY_MAX_MS: '500',
});

test('a worker killed mid-POST loses nothing and sends nothing twice', async () => {
  // Slow IOP: each POST is on the wire for 1.5 s, and the IOP stores the CDR before it answers.
  iop.control({ latencyMs: 1_500 });
  worker = await spawnWorker(workerEnv());
  const started = await handIn(client, taskQueue, simulatedSessions(4, 'crash'));
  const key = { ...partyOfWorkflow(started[0]!.workflowId), id: started[0]!.cdrId };
  await waitFor(
    'the first POST to be on the wire',
    async () => ((await deliveryRow(db.pool, key))?.post_started_at ? true : undefined),
    30_000,
  );
  await worker.kill('SIGKILL');

  iop.control({ latencyMs: 10 });
  worker = await spawnWorker(workerEnv());
  const results = await resultsOf(client, started);
  expect(results.map((r) => r.status)).toEqual(Array(4).fill('delivered'));
  expectDeliveredOnceInOrder(iop.received, started);
}, 180_000);
