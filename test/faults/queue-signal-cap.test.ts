/**
 * Temporal caps the signals one workflow run takes (history.maximumSignalsPerExecution,
 * 10,000 by default). A storm of hand-ins to one party can reach it while the queue's
 * hand-over to a new run waits for a quiet moment; a hand-in refused by the cap is sent
 * again until the new run takes it, so the backend never hears of it and FIFO holds.
 * Here the cap is 30 and no worker runs at first, so the first run surely reaches it.
 */
import { Client, Connection } from '@temporalio/client';
import { iopConfig } from '../../src/config/index';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { createCdrWorker, type CdrWorker } from '../../src/worker/create-worker';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { expectDeliveredOnceInOrder, handIn, resultsOf, simulatedSessions } from '../support/sessions';
import { bundleWorkflows, randomParty } from '../support/temporal';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';

const SIGNAL_CAP = 30;
const TASK_QUEUE = 'cdrflow-signal-cap';
let server: DevServer;
let db: TestDatabase;
let iop: MockIop;
let client: Client;
let worker: CdrWorker | undefined;
let running: Promise<void> | undefined;

beforeAll(async () => {
  [server, db, iop] = await Promise.all([
    startDevServer({ dynamicConfig: { 'history.maximumSignalsPerExecution': SIGNAL_CAP } }),
    createTestDatabase(),
    startMockIop(),
  ]);
  client = new Client({ connection: await Connection.connect({ address: server.address }) });
});
afterAll(async () => {
  await worker?.shutdown();
  await running;
  await client?.connection.close();
  await iop?.close();
  await db?.drop();
  await server?.stop();
});

test('hand-ins refused by the per-run signal cap are sent again until the next run takes them: every CDR once, in order', async () => {
  const party = randomParty();
  // 40 hand-ins, one after the other: the first run reaches the cap with nobody working it.
  const handingIn = handIn(client, TASK_QUEUE, simulatedSessions(40, 'cap', party), {
    headStorePatienceMs: 1_000,
    continueAsNewAfterEvents: 20,
  });
  const queue = client.workflow.getHandle(cpoQueueWorkflowId(party));
  const signalsOfFirstRun = async () =>
    (await queue.fetchHistory()).events!.filter((event) => event.workflowExecutionSignaledEventAttributes).length;
  for (let waited = 0; (await signalsOfFirstRun().catch(() => 0)) < SIGNAL_CAP; waited += 100) {
    if (waited > 30_000) throw new Error('the queue never reached the signal cap');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const firstRun = (await queue.describe()).runId;

  worker = await createCdrWorker({
    temporal: { address: server.address },
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    pool: db.pool,
    iop: iopConfig({ IOP_CDRS_URL: iop.cdrsUrl, IOP_TOKEN: iop.token, IOP_RETRY_INITIAL_MS: '50', IOP_CHECK_SETTLE_MS: '300' }),
    workflowBundle: await bundleWorkflows(),
    queueRepairEveryMs: 0,
  });
  running = worker.run();

  const started = await handingIn;
  const results = await resultsOf(client, started);
  expect(results.map((result) => result.status)).toEqual(Array(40).fill('delivered'));
  expectDeliveredOnceInOrder(iop.received, started);
  // The first run took exactly the cap; later runs took the rest.
  const first = client.workflow.getHandle(queue.workflowId, firstRun);
  expect((await first.fetchHistory()).events!.filter((event) => event.workflowExecutionSignaledEventAttributes)).toHaveLength(SIGNAL_CAP);
  expect((await queue.describe()).runId).not.toBe(firstRun);
}, 180_000);
