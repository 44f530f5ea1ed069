/**
 * Postgres connections are cut again and again while CDRs flow: activities fail and are
 * retried, the store reconnects, and every CDR is delivered once, in order. And Postgres
 * down for a while: the queue waits with workflow timers, its history stays bounded.
 */
import { Client as PgClient } from 'pg';
import { ADMIN_DATABASE_URL } from '../support/db';
import { expectDeliveredOnceInOrder, handIn, partyOfWorkflow, resultsOf, simulatedSessions } from '../support/sessions';
import { randomParty, usePipeline, waitFor } from '../support/temporal';
import { findCdr } from '../../src/store/cdr-repo';
import { summarizeQueue } from '../../src/store/queue-repo';
import { queueStatusQuery } from '../../workflows/definitions';
import { cpoQueueWorkflowId } from '../../workflows/ids';

const suite = usePipeline();
let admin: PgClient;

beforeAll(async () => {
  admin = new PgClient({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
});

async function cutConnections(): Promise<number> {
  const result = await admin.query(
    'SELECT count(pg_terminate_backend(pid)) AS cut FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [new URL(suite.db.url).pathname.slice(1)],
  );
  return Number(result.rows[0].cut);
}

test('every CDR is delivered once and in order while database connections keep being cut', async () => {
  suite.pipeline.iop.control({ latencyMs: 30 });
  let cuts = 0;
  let cutting = true;
  const cutter = (async () => {
    while (cutting) {
      cuts += await cutConnections();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  })();
  let started;
  try {
    started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(10, 'pgcut'));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  } finally {
    cutting = false;
    await cutter;
  }
  expect(cuts).toBeGreaterThan(0);
  const results = await resultsOf(suite.pipeline.client, started);
  expect(results.map((r) => r.status)).toEqual(Array(10).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
  const party = partyOfWorkflow(started[0]!.workflowId);
  for (const s of started) expect((await findCdr(suite.db.pool, { ...party, id: s.cdrId }))?.status).toBe('sent');
}, 120_000);

test('while Postgres refuses every connection, the queue backs off with timers and keeps handing over to new runs; once it is back, every CDR goes once, in order', async () => {
  const party = randomParty();
  const database = new URL(suite.db.url).pathname.slice(1);
  suite.pipeline.iop.control({ behaviour: 'http500', latencyMs: 0 });
  // Small runs hand over after 40 events: in an outage that happens only if the workflow
  // looks at its history between tries (a retry loop inside one workflow task never would).
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(5, 'pgdown', party), {
    headStorePatienceMs: 1_000,
    continueAsNewAfterEvents: 40,
  });
  await waitFor('every CDR stored and queued', async () => ((await summarizeQueue(suite.db.pool, party)).depth === 5 ? true : undefined));
  const queue = suite.pipeline.client.workflow.getHandle(cpoQueueWorkflowId(party));
  const runsOf = async () => {
    let runs = 0;
    for await (const _run of suite.pipeline.client.workflow.list({ query: `WorkflowId = '${queue.workflowId}'` })) runs++;
    return runs;
  };
  const runsBefore = await runsOf();

  await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
  await cutConnections();
  suite.pipeline.iop.control({ behaviour: 'accept' });
  try {
    await waitFor('the queue to say the store is unavailable', async () =>
      (await queue.query(queueStatusQuery)).headLastError?.startsWith('store unavailable') ? true : undefined,
    );
    await waitFor('a hand-over to a new run during the outage', async () => ((await runsOf()) > runsBefore ? true : undefined), 90_000);
    const history = await queue.fetchHistory();
    expect(history.events!.length).toBeLessThan(80);
  } finally {
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
  }

  const results = await resultsOf(suite.pipeline.client, started);
  expect(results.map((r) => r.status)).toEqual(Array(5).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
}, 180_000);
