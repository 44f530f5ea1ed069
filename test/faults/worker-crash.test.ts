/**
 * The worker process is killed (SIGKILL) while a POST is on the wire, then a new one
 * starts: nothing is lost, nothing is sent twice, the order holds.
 */
import { randomBytes } from 'node:crypto';
import { deliveryRow } from '../support/deliveries';
import { useStack } from '../support/stack';
import { expectDeliveredOnceInOrder, handIn, partyOfWorkflow, resultsOf, simulatedSessions } from '../support/sessions';
import { connectClient, temporalAddress, waitFor } from '../support/temporal';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import type { Client } from '@temporalio/client';

const stack = useStack();
let client: Client;
let worker: WorkerProcess | undefined;
const taskQueue = `cdrflow-crash-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  client = await connectClient();
});
afterAll(async () => {
  await worker?.kill();
  await client?.connection.close();
});

const workerEnv = () => ({
  DATABASE_URL: stack.db.url,
  TEMPORAL_ADDRESS: temporalAddress(),
  TEMPORAL_TASK_QUEUE: taskQueue,
  IOP_CDRS_URL: stack.mockIop.cdrsUrl,
  IOP_TOKEN: stack.mockIop.token,
  IOP_REQUEST_TIMEOUT_MS: '5000',
  IOP_RETRY_INITIAL_MS: '50',
  IOP_RETRY_MAX_MS: '500',
});

test('a worker killed mid-POST loses nothing and sends nothing twice', async () => {
  // Slow IOP: each POST is on the wire for 1.5 s, and the IOP stores the CDR before it answers.
  stack.mockIop.control({ latencyMs: 1_500 });
  worker = await spawnWorker(workerEnv());
  const started = await handIn(client, taskQueue, simulatedSessions(4, 'crash'));
  const key = { ...partyOfWorkflow(started[0]!.workflowId), id: started[0]!.cdrId };
  await waitFor(
    'the first POST to be on the wire',
    async () => ((await deliveryRow(stack.db.pool, key))?.post_started_at ? true : undefined),
    30_000,
  );
  await worker.kill('SIGKILL');

  stack.mockIop.control({ latencyMs: 10 });
  worker = await spawnWorker(workerEnv());
  const results = await resultsOf(client, started);
  expect(results.map((r) => r.status)).toEqual(Array(4).fill('delivered'));
  expectDeliveredOnceInOrder(stack.mockIop.received, started);
}, 180_000);
