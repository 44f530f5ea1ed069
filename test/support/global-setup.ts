/**
 * One real Temporal dev server for the whole run (started once: the CLI needs a few
 * seconds), unless TEMPORAL_ADDRESS points at one already running.
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

declare global {
  var __cdrflowDevServer: DevServer | undefined;
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
  if (process.env.TEMPORAL_ADDRESS) return;
  const server = await startDevServer();
  globalThis.__cdrflowDevServer = server;
  process.env.TEMPORAL_ADDRESS = server.address;
}
