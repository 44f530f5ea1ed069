/** What operator commands need: a Temporal client and the store, from the environment. */
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { databaseConfig, temporalConfig } from '../config';
import { createPool } from '../store/pool';

export interface OperatorContext {
  client: Client;
  pool: Pool;
  taskQueue: string;
}

export async function withOperatorContext<T>(run: (context: OperatorContext) => Promise<T>): Promise<T> {
  const temporal = temporalConfig();
  const pool = createPool(databaseConfig().DATABASE_URL, 2);
  const connection = await Connection.connect({ address: temporal.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: temporal.TEMPORAL_NAMESPACE });
    return await run({ client, pool, taskQueue: temporal.TEMPORAL_TASK_QUEUE });
  } finally {
    await connection.close();
    await pool.end();
  }
}
