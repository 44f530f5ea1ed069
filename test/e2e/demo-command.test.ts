/**
 * The README's run command, as a process: with DATABASE_URL unset it runs on the embedded
 * PostgreSQL server, with DATABASE_URL set on that server; both end with the CDRs at the
 * mock IOP, in order, and pullable, on a screen that tells only the story (the logs go to
 * a file). (It reuses the test run's Temporal dev server.)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { temporalAddress } from '../support/temporal';

const dataDir = mkdtempSync(join(tmpdir(), 'cdrflow-demo-'));
// The embedded server may run as another user (nobody, under root): its folder must be reachable.
chmodSync(dataDir, 0o755);
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const demoEnv = (extra: Record<string, string> = {}) => ({
  TEMPORAL_ADDRESS: temporalAddress(),
  API_PORT: '0',
  MOCK_IOP_PORT: '0',
  MOCK_IOP_221_PORT: '0',
  CDRFLOW_DATA_DIR: dataDir,
  ...extra,
});

test.each([
  [
    'unset: the embedded PostgreSQL server',
    {},
    /embedded PostgreSQL in .*; in another terminal: export DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:\d+\/cdrflow/,
  ],
  ['set: that Postgres server', { DATABASE_URL: '' }, /\(DATABASE_URL\)/],
])(
  'the demo delivers and serves the CDRs with DATABASE_URL %s',
  async (_name, extra, databaseLine) => {
    const env = 'DATABASE_URL' in extra ? demoEnv({ DATABASE_URL: db.url }) : demoEnv();
    const result = await runCli(['demo', '--no-stay', '--sessions', '3'], env);
    expect(result.stderr).not.toMatch(/cdrflow: /);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(databaseLine);
    // Three sessions for each party: FR*DEM on OCPI 2.1.1 (IOP_*), FR*DE2 on 2.2.1 (its own connection).
    expect(result.stdout.match(/ delivered /g)).toHaveLength(6);
    expect(result.stdout).toMatch(/the 2\.1\.1 mock IOP received 3 CDRs after \d+ POSTs, in hand-in order: yes/);
    expect(result.stdout).toMatch(
      /the 2\.2\.1 mock IOP received 3 CDRs, in hand-in order: yes \(headers: X-Request-ID [0-9a-f-]{36}, OCPI-from FR\*DE2, OCPI-to FR\*107\)/,
    );
    expect(result.stdout).toContain('a GIREVE pull (OCPI 2.1.1) returns them too: 3 of 3');
    expect(result.stdout).toContain('a GIREVE pull (OCPI 2.2.1) returns them too: 3 of 3');
    expect(result.stdout).toMatch(/credit CDR \S+-C reached the 2\.2\.1 IOP after the CDR it cancels: yes/);
    // The story only: no stack, no warning, no error on either stream (they are in the log file).
    const screen = `${result.stdout}\n${result.stderr}`;
    expect(screen).not.toMatch(/^\s+at \S+.*\(?.*:\d+:\d+\)?$/m);
    expect(screen).not.toMatch(/\b(WARN|ERROR)\b/);
    expect(result.stdout).toContain(`logs         ${join(dataDir, 'demo.log')}`);
  },
  180_000,
);
