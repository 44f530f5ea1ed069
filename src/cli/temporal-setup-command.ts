import { temporalConfig } from '../config/index';
import { ensureSearchAttributes } from '../temporal/search-attribute-setup';
import { openTemporalConnection, temporalTarget } from '../temporal/temporal-connection';

/**
 * `cdrflow temporal-setup`: makes sure the namespace has the search attributes cdrflow's
 * workflows use (idempotent), for a deploy step; the worker does the same at start.
 */
export async function runTemporalSetupCommand(): Promise<void> {
  const temporal = temporalConfig();
  const connection = await openTemporalConnection(temporal);
  try {
    const setup = await ensureSearchAttributes(connection, temporalTarget(temporal));
    for (const name of setup.added) process.stdout.write(`added search attribute ${name} to namespace ${temporal.namespace}\n`);
    for (const name of setup.present) process.stdout.write(`search attribute ${name} already on namespace ${temporal.namespace}\n`);
  } finally {
    await connection.close();
  }
}
