import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { startCdr } from '../client/start-cdr';
import { temporalConfig } from '../config';

/** `cdrflow session-ended FILE.json`: hands one ended session in and prints its workflow id. */
export async function runSessionEndedCommand(file: string, options: { json?: boolean }): Promise<void> {
  const input = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const temporal = temporalConfig();
  const connection = await Connection.connect({ address: temporal.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: temporal.TEMPORAL_NAMESPACE });
    const started = await startCdr(client, input, { taskQueue: temporal.TEMPORAL_TASK_QUEUE });
    process.stdout.write(options.json ? `${JSON.stringify(started)}\n` : `${started.workflowId}\n`);
  } finally {
    await connection.close();
  }
}
