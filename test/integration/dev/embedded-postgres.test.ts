/**
 * The embedded PostgreSQL server (the demo's default, the tests' when no server is given)
 * is a real server: eight pooled connections at once, thousands of mixed statements, no
 * error and no hang; and it keeps its data across a stop and a start, as the demo's does.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/dev/embedded-postgres';

const CONNECTIONS = 8;
/** Each round is 6 statements: 8 x 100 x 6 = 4,800 in all. */
const ROUNDS_PER_CONNECTION = 100;

let folder: string;
let server: EmbeddedPostgres;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'cdrflow-embedded-'));
  // mkdtemp makes it private; the server may run as another user (nobody, under root).
  chmodSync(folder, 0o755);
  server = await startEmbeddedPostgres({ dataDir: join(folder, 'data') });
});
afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test(`${CONNECTIONS} pooled connections run ${CONNECTIONS * ROUNDS_PER_CONNECTION * 6} mixed statements at once, none lost`, async () => {
  const pool = new Pool({ connectionString: server.url, max: CONNECTIONS });
  try {
    await pool.query('CREATE TABLE mixed (id serial PRIMARY KEY, worker int NOT NULL, value text NOT NULL)');
    const workers = Array.from({ length: CONNECTIONS }, async (_, worker) => {
      let inserted = 0;
      for (let step = 0; step < ROUNDS_PER_CONNECTION; step++) {
        // An autocommit write, a short transaction holding a row lock, a read with parameters.
        await pool.query('INSERT INTO mixed (worker, value) VALUES ($1, $2)', [worker, `auto-${step}`]);
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query<{ id: number }>('INSERT INTO mixed (worker, value) VALUES ($1, $2) RETURNING id', [
            worker,
            `tx-${step}`,
          ]);
          await client.query('SELECT * FROM mixed WHERE id = $1 FOR UPDATE', [rows[0]!.id]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
        const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM mixed WHERE worker = $1', [worker]);
        inserted += 2;
        expect(Number(rows[0]!.count)).toBe(inserted);
      }
      return inserted;
    });
    const inserted = await Promise.all(workers);
    const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM mixed');
    expect(Number(rows[0]!.count)).toBe(inserted.reduce((sum, one) => sum + one, 0));
    expect(inserted.every((one) => one === inserted[0])).toBe(true);
  } finally {
    await pool.end();
  }
}, 60_000);

test('a stopped server starts again on the same folder with its data', async () => {
  const pool = new Pool({ connectionString: server.url });
  await pool.query('CREATE TABLE kept (note text)');
  await pool.query("INSERT INTO kept VALUES ('still here')");
  await pool.end();
  await server.stop();
  server = await startEmbeddedPostgres({ dataDir: join(folder, 'data') });
  const again = new Pool({ connectionString: server.url });
  try {
    expect((await again.query('SELECT note FROM kept')).rows).toEqual([{ note: 'still here' }]);
  } finally {
    await again.end();
  }
});
