/**
 * One real Temporal dev server for the whole run (started once: the CLI needs a few
 * seconds), unless TEMPORAL_ADDRESS points at one already running.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

declare global {
  // eslint-disable-next-line no-var
  var __cdrflowDevServer: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Test parties are numbered for the whole run (see randomParty in ./temporal).
  process.env.CDRFLOW_TEST_PARTY_COUNTER = join(mkdtempSync(join(tmpdir(), 'cdrflow-parties-')), 'next');
  process.env.CDRFLOW_TEST_PARTY_COUNTRY = `Z${String.fromCharCode(65 + randomInt(26))}`;
  if (process.env.TEMPORAL_ADDRESS) return;
  const server = await startDevServer();
  globalThis.__cdrflowDevServer = server;
  process.env.TEMPORAL_ADDRESS = server.address;
}
