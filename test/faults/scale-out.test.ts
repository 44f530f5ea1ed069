/**
 * Scaled out, on real parts, while everything fails at once: three worker processes on
 * one task queue, one of them SIGKILLed every few seconds and started again, the Temporal
 * dev server killed once and restarted on its SQLite file, Postgres connections cut, while
 * 200 sessions of 5 CPO parties are handed in. Every CDR reaches the IOP exactly once, in
 * hand-in order within its party.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import type { Party } from '../../src/ocpi/party';
import { startCdr, type StartedCdr } from '../../src/client/start-cdr';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { freePort, startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { TemporalSetupError } from '../../src/temporal/temporal-errors';
import { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from '../support/db';
import { resultsOf, simulatedSessions } from '../support/sessions';
import { randomParty } from '../support/temporal';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const SESSIONS = 200;
const PARTIES = 5;
const TASK_QUEUE = 'cdrflow-scale-out';

let db: TestDatabase;
let iop: MockIop;
let server: DevServer | undefined;
let client: Client | undefined;
const workers: (WorkerProcess | undefined)[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'cdrflow-scale-out-'));

beforeAll(async () => {
  // Each POST is on the wire for a while, so kills land mid-run.
  [db, iop] = await Promise.all([createTestDatabase(), startMockIop({ control: { latencyMs: 15 } })]);
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker?.kill('SIGKILL')));
  await client?.connection.close().catch(() => undefined);
  await server?.stop();
  await iop?.close();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A CPO backend retries a hand-in that failed (Temporal down): startCdr is idempotent. */
async function handInUntilAccepted(input: unknown): Promise<StartedCdr> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCdr(client!, input, { taskQueue: TASK_QUEUE, queueSettings: { headStorePatienceMs: 2_000 } });
    } catch (error) {
      if (!(error instanceof TemporalSetupError) || attempt > 120) throw error;
      await sleep(500);
    }
  }
}

test('three workers, one killed every few seconds, Temporal killed once, Postgres cut: every CDR once, FIFO per party', async () => {
  const port = await freePort();
  const dbFile = join(dataDir, 'temporal.sqlite');
  server = await startDevServer({ port, dbFile });
  const workerEnv = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    IOP_CDRS_URL: iop.cdrsUrl,
    IOP_TOKEN: iop.token,
    IOP_REQUEST_TIMEOUT_MS: '1000',
    IOP_RETRY_INITIAL_MS: '50',
    IOP_RETRY_MAX_MS: '500',
    IOP_CHECK_SETTLE_MS: '300',
  };
  for (let index = 0; index < 3; index++) workers[index] = await spawnWorker(workerEnv);
  client = new Client({ connection: await Connection.connect({ address: server.address }) });

  const parties: Party[] = Array.from({ length: PARTIES }, () => randomParty());
  const perParty = parties.map((party, index) => simulatedSessions(SESSIONS / PARTIES, `scale-${index}`, party));
  // Interleaved, as sessions of several CPOs end: the order within each party is the FIFO order.
  const inputs = Array.from({ length: SESSIONS }, (_, index) => perParty[index % PARTIES]![Math.floor(index / PARTIES)]!);

  let chaos = true;
  const kills = { workers: 0, temporal: 0, postgresCuts: 0 };
  const admin = new PgClient({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  const workerChaos = (async () => {
    for (let round = 0; chaos; round++) {
      await sleep(3_000);
      if (!chaos) break;
      const index = round % workers.length;
      await workers[index]?.kill('SIGKILL');
      workers[index] = undefined;
      kills.workers++;
      // A worker started while Temporal is down stops at once (it cannot connect): start it again.
      while (!workers[index]) workers[index] = await spawnWorker(workerEnv).catch(() => sleep(1_000).then(() => undefined));
    }
  })();
  const postgresChaos = (async () => {
    while (chaos) {
      await sleep(2_000);
      const cut = await admin.query(
        'SELECT count(pg_terminate_backend(pid)) AS cut FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [new URL(db.url).pathname.slice(1)],
      );
      kills.postgresCuts += Number(cut.rows[0].cut);
    }
  })();
  const temporalChaos = (async () => {
    await sleep(6_000);
    server!.process.kill('SIGKILL');
    await new Promise<void>((resolve) => server!.process.once('exit', () => resolve()));
    kills.temporal++;
    await sleep(2_000);
    server = await startDevServer({ port, dbFile });
  })();

  const started: StartedCdr[] = [];
  try {
    for (const input of inputs) started.push(await handInUntilAccepted(input));
    await temporalChaos;
    await sleep(10_000); // more worker kills and cuts while the queues drain
  } finally {
    chaos = false;
    await Promise.all([workerChaos, postgresChaos, temporalChaos.catch(() => undefined)]);
    await admin.end();
  }
  expect(kills.workers).toBeGreaterThanOrEqual(5);
  expect(kills.temporal).toBe(1);
  expect(kills.postgresCuts).toBeGreaterThan(0);

  const results = await resultsOf(client, started);
  expect(results.map((result) => result.status)).toEqual(Array(SESSIONS).fill('delivered'));
  for (const [index, party] of parties.entries()) {
    const operator = `${party.country_code}*${party.party_id}`;
    const wanted = started.filter((one) => one.workflowId.startsWith(`cdr:${operator}:`)).map((one) => one.cdrId);
    expect(wanted).toHaveLength(SESSIONS / PARTIES);
    const arrived = iop.received.map((received) => received.id).filter((id) => wanted.includes(id));
    expect(`${operator} (party ${index}): ${arrived.join(',')}`).toBe(`${operator} (party ${index}): ${wanted.join(',')}`);
  }
}, 600_000);
