/**
 * One real Temporal dev server for the whole run (started once: the CLI needs a few
 * seconds), unless TEMPORAL_ADDRESS points at one already running.
 */
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

declare global {
  // eslint-disable-next-line no-var
  var __cdrflowDevServer: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS) return;
  const server = await startDevServer();
  globalThis.__cdrflowDevServer = server;
  process.env.TEMPORAL_ADDRESS = server.address;
}
