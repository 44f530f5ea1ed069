/**
 * Postgres is the queues' system of record: a queue workflow terminated mid-drain, reset
 * to an earlier point, or lost with the whole Temporal state is rebuilt from it, and every
 * CDR still reaches the IOP exactly once, in hand-in order, with no operator action beyond
 * (at most) `cdrflow recover`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { iopConfig } from '../../src/config/index';
import type { DeliveryObserver } from '../../src/observability/delivery-observer';
import { findCdr } from '../../src/store/cdr-repo';
import { summarizeQueue } from '../../src/store/queue-repo';
import { freePort, startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { createCdrWorker } from '../../src/worker/create-worker';
import { cdrStoredSignal } from '../../workflows/definitions';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { expectDeliveredOnceInOrder, handIn, partyOfWorkflow, resultsOf, simulatedSessions } from '../support/sessions';
import { randomParty, usePipeline, waitFor } from '../support/temporal';

const restarted: string[] = [];
const observer: DeliveryObserver = { attemptEnded: () => undefined, queueRestarted: (operator) => restarted.push(operator) };
// The worker looks for lost queues every second here (every 5 minutes by default).
const suite = usePipeline({ deliveryObserver: observer, queueRepairEveryMs: 1_000 });

beforeEach(() => suite.pipeline.iop.control({ behaviour: 'accept', failNext: 0, latencyMs: 0 }));

test('a queue workflow terminated in the middle of a 50-CDR drain heals by itself: every CDR once, in order', async () => {
  const party = randomParty();
  suite.pipeline.iop.control({ latencyMs: 100 });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(50, 'terminated', party));
  const ids = new Set(started.map((one) => one.cdrId));
  const receivedSoFar = () => suite.pipeline.iop.received.filter((r) => ids.has(r.id)).length;
  // Every CDR stored first: no session workflow's stored notice starts the queue again, the worker has to.
  await waitFor('every CDR stored', async () => {
    const rows = await Promise.all(started.map((one) => findCdr(suite.db.pool, { ...party, id: one.cdrId })));
    return rows.every((row) => row !== undefined) ? true : undefined;
  });
  await waitFor('the drain to be under way', () => (receivedSoFar() >= 10 ? true : undefined));
  await suite.pipeline.client.workflow.getHandle(cpoQueueWorkflowId(party)).terminate('test: an operator terminates the queue');
  expect(receivedSoFar()).toBeLessThan(50);

  const results = await resultsOf(suite.pipeline.client, started);
  expect(results.map((result) => result.status)).toEqual(Array(50).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
  expect(restarted).toContain(`${party.country_code}*${party.party_id}`);
  expect((await summarizeQueue(suite.db.pool, party)).depth).toBe(0);
}, 120_000);

test('a queue workflow reset to an earlier point loses nothing and sends nothing twice', async () => {
  const party = randomParty();
  suite.pipeline.iop.control({ behaviour: 'http500' });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(12, 'reset', party));
  await waitFor('every CDR stored and queued', async () => ((await summarizeQueue(suite.db.pool, party)).depth === 12 ? true : undefined));
  await waitFor('the head to have failed', async () => {
    const row = await findCdr(suite.db.pool, { ...party, id: started[0]!.cdrId });
    return (row?.attempts ?? 0) >= 2 ? true : undefined;
  });

  // Back to its first workflow task: the new run knows nothing of what came after.
  const queue = suite.pipeline.client.workflow.getHandle(cpoQueueWorkflowId(party));
  const history = await queue.fetchHistory();
  const firstTask = history.events!.find((event) => event.workflowTaskCompletedEventAttributes)!;
  const description = await queue.describe();
  await suite.pipeline.client.workflowService.resetWorkflowExecution({
    namespace: 'default',
    workflowExecution: { workflowId: queue.workflowId, runId: description.runId },
    workflowTaskFinishEventId: firstTask.eventId,
    requestId: `reset-${Date.now()}`,
    reason: 'test: reset to an earlier point',
  });
  suite.pipeline.iop.control({ behaviour: 'accept' });

  const results = await resultsOf(suite.pipeline.client, started);
  expect(results.map((result) => result.status)).toEqual(Array(12).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
}, 120_000);

describe('when Temporal loses its whole state', () => {
  let server: DevServer | undefined;
  // Its own database: the suite's worker repairs the queues of its own Temporal in the
  // suite's database (one Postgres per Temporal namespace, as in production).
  let db: TestDatabase | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'cdrflow-lost-'));
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('server killed, its database deleted, an empty one started: `cdrflow recover` sends every queued CDR once, in order', async () => {
    const database = await createTestDatabase();
    db = database;
    const pool = database.pool;
    const port = await freePort();
    const dbFile = join(dataDir, 'temporal.sqlite');
    server = await startDevServer({ port, dbFile });
    const iop = suite.pipeline.iop;
    // The periodic repair is off here: the operator's `cdrflow recover` does the work.
    const worker = await createCdrWorker({
      temporal: { address: server.address },
      namespace: 'default',
      taskQueue: 'cdrflow-lost-state',
      pool,
      iop: iopConfig({
        IOP_CDRS_URL: iop.cdrsUrl,
        IOP_TOKEN: iop.token,
        IOP_RETRY_INITIAL_MS: '50',
        IOP_RETRY_MAX_MS: '300',
        IOP_CHECK_SETTLE_MS: '300',
      }),
      workflowBundle: suite.bundle,
      queueRepairEveryMs: 0,
    });
    const running = worker.run();
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    try {
      const party = randomParty();
      iop.control({ behaviour: 'http500' });
      const started = await handIn(client, 'cdrflow-lost-state', simulatedSessions(8, 'lost', party));
      await waitFor('every CDR stored and queued', async () => ((await summarizeQueue(pool, party)).depth === 8 ? true : undefined));
      await waitFor('every CDR stored', async () => {
        const rows = await Promise.all(started.map((one) => findCdr(pool, { ...party, id: one.cdrId })));
        return rows.every((row) => row?.status === 'queued') ? true : undefined;
      });
      // And every stored notice taken by the old server: a notice still on the wire at the kill
      // is retried by the client and would start the queue on the new server by itself.
      const queue = client.workflow.getHandle(cpoQueueWorkflowId(party));
      await waitFor('every stored notice signalled', async () => {
        const history = await queue.fetchHistory();
        const notices = history.events!.filter(
          (event) => event.workflowExecutionSignaledEventAttributes?.signalName === cdrStoredSignal.name,
        );
        return notices.length === 8 ? true : undefined;
      });

      server.process.kill('SIGKILL');
      await new Promise<void>((resolve) => server!.process.once('exit', () => resolve()));
      // The file and its write-ahead log: nothing of the old state may come back.
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${dbFile}${suffix}`, { force: true });
      server = await startDevServer({ port, dbFile });
      iop.control({ behaviour: 'accept' });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(iop.received.filter((received) => started.some((one) => one.cdrId === received.id))).toEqual([]);

      const recover = await runCli(['recover', `${party.country_code}*${party.party_id}`], {
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: 'cdrflow-lost-state',
      });
      expect(recover.stderr).toBe('');
      expect(recover.stdout).toContain(`${party.country_code}*${party.party_id}  queue workflow started again`);

      await waitFor(
        'every CDR sent',
        async () => {
          const rows = await Promise.all(started.map((one) => findCdr(pool, { ...partyOfWorkflow(one.workflowId), id: one.cdrId })));
          return rows.every((row) => row?.status === 'sent') ? true : undefined;
        },
        60_000,
      );
      expectDeliveredOnceInOrder(iop.received, started);

      // Safe to run again at any time: nothing is added twice, nothing moves.
      const again = await runCli(['recover', '--json'], {
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: 'cdrflow-lost-state',
      });
      expect(again.code).toBe(0);
      expectDeliveredOnceInOrder(iop.received, started);
    } finally {
      await client.connection.close();
      await worker.shutdown();
      await running;
    }
  }, 180_000);
});
