/**
 * Postgres connections are cut again and again while CDRs flow: activities fail and are
 * retried, the store reconnects, and every CDR is delivered once, in order.
 */
import { Client as PgClient } from 'pg';
import { ADMIN_DATABASE_URL } from '../support/db';
import { expectDeliveredOnceInOrder, handIn, partyOfWorkflow, resultsOf, simulatedSessions } from '../support/sessions';
import { usePipeline } from '../support/temporal';
import { findCdr } from '../../src/store/cdr-repo';

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
