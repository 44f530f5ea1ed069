/**
 * One real Temporal dev server for the whole run (started once: the CLI needs a few
 * seconds), unless TEMPORAL_ADDRESS points at one already running; and the Postgres server
 * the test files make their databases on: TEST_ADMIN_DATABASE_URL, else DATABASE_URL's
 * server, else the one answering on 127.0.0.1:5432, else an embedded one for the run.
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsConnections, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/dev/embedded-postgres';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

declare global {
  var __cdrflowDevServer: DevServer | undefined;
  var __cdrflowPostgres: { server: EmbeddedPostgres; folder: string } | undefined;
}

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server test databases are made on (test/support/db.ts reads TEST_ADMIN_DATABASE_URL). */
async function postgresForTests(): Promise<void> {
  if (process.env.TEST_ADMIN_DATABASE_URL) return;
  if (process.env.DATABASE_URL) {
    const admin = new URL(process.env.DATABASE_URL);
    admin.pathname = '/postgres';
    process.env.TEST_ADMIN_DATABASE_URL = admin.toString();
    return;
  }
  if (await acceptsConnections(LOCAL_SERVER)) {
    process.env.TEST_ADMIN_DATABASE_URL = LOCAL_SERVER;
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'cdrflow-test-postgres-'));
  // mkdtemp makes it private; the server may run as another user (nobody, under root).
  chmodSync(folder, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(folder, 'data'), throwaway: true });
  globalThis.__cdrflowPostgres = { server, folder };
  process.env.TEST_ADMIN_DATABASE_URL = server.url;
  process.stderr.write(`\ntests: no Postgres server given or on 127.0.0.1:5432: an embedded PostgreSQL for this run (${server.url})\n`);
}

/** Tests run `bin/cdrflow.js` as a process, which runs dist/: it must be built from these sources. */
function assertBuilt(): void {
  const root = join(__dirname, '..', '..');
  const stamp = join(root, 'dist', '.built');
  const newer = existsSync(stamp)
    ? execFileSync('find', ['src', 'workflows', 'activities', '-newer', stamp, '-print', '-quit'], { cwd: root, encoding: 'utf8' }).trim()
    : 'no dist/';
  if (newer) throw new Error(`dist/ is not built from the current sources (${newer}): run \`npm run build\` or scripts/setup`);
}

export default async function globalSetup(): Promise<void> {
  assertBuilt();
  // Test parties are numbered for the whole run (see randomParty in ./temporal).
  process.env.CDRFLOW_TEST_PARTY_COUNTER = join(mkdtempSync(join(tmpdir(), 'cdrflow-parties-')), 'next');
  process.env.CDRFLOW_TEST_PARTY_COUNTRY = `Z${String.fromCharCode(65 + randomInt(26))}`;
  await postgresForTests();
  if (process.env.TEMPORAL_ADDRESS) return;
  const server = await startDevServer();
  globalThis.__cdrflowDevServer = server;
  process.env.TEMPORAL_ADDRESS = server.address;
}
