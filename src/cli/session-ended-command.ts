import { readFile } from 'node:fs/promises';
import { startCdr } from '../client/start-cdr';
import { temporalConfig } from '../config/index';
import { openTemporalClient } from '../temporal/temporal-connection';

/** `cdrflow session-ended FILE.json`: hands one ended session in and prints its workflow id. */
export async function runSessionEndedCommand(file: string, options: { json?: boolean }): Promise<void> {
  const input = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const temporal = temporalConfig();
  const client = await openTemporalClient(temporal);
  try {
    const started = await startCdr(client, input, { taskQueue: temporal.taskQueue });
    process.stdout.write(options.json ? `${JSON.stringify(started)}\n` : `${started.workflowId}\n`);
  } finally {
    await client.connection.close();
  }
}
