/**
 * A connection Postgres cuts while the client is checked out, between two statements (a
 * restart, a failover): the next statement fails, the process does not crash on an
 * unhandled 'error' event, and the pool hands out a fresh connection afterwards.
 */
import { Client } from 'pg';
import { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from '../../support/db';
import { withPoolClient } from '../../../src/store/pool-client';
import { inTransaction } from '../../../src/store/transaction';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(() => db?.drop());

async function terminate(pid: number): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

const pidOf = async (query: (sql: string) => Promise<{ rows: { pid: number }[] }>) =>
  (await query('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

test.each([
  [
    'withPoolClient',
    (work: (sql: (text: string) => Promise<{ rows: { pid: number }[] }>) => Promise<number>) =>
      withPoolClient(db.pool, ({ client }) => work((text) => client.query(text))),
  ],
  [
    'inTransaction',
    (work: (sql: (text: string) => Promise<{ rows: { pid: number }[] }>) => Promise<number>) =>
      inTransaction(db.pool, (client) => work((text) => client.query(text))),
  ],
])('%s: a connection cut between statements fails the next one, and the pool recovers', async (_name, run) => {
  let cutPid = 0;
  await expect(
    run(async (query) => {
      cutPid = await pidOf(query);
      await terminate(cutPid);
      await settle(); // the FATAL message arrives while no statement runs: an 'error' event
      return pidOf(query);
    }),
  ).rejects.toThrow();
  const fresh = await pidOf((text) => db.pool.query(text));
  expect(fresh).not.toBe(cutPid);
});
