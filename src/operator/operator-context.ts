/** What operator commands need: a Temporal client and the store, from the environment. */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { databaseConfig, temporalConfig } from '../config/index';
import { createPool } from '../store/pool';
import { openTemporalClient, temporalTarget } from '../temporal/temporal-connection';
import { explainTemporalError } from '../temporal/temporal-errors';

export interface OperatorContext {
  client: Client;
  pool: Pool;
  taskQueue: string;
}

export async function withOperatorContext<T>(run: (context: OperatorContext) => Promise<T>): Promise<T> {
  const temporal = temporalConfig();
  const pool = createPool(databaseConfig().DATABASE_URL, 2);
  try {
    const client = await openTemporalClient(temporal);
    try {
      return await run({ client, pool, taskQueue: temporal.taskQueue });
    } catch (error) {
      throw explainTemporalError(error, temporalTarget(temporal));
    } finally {
      await client.connection.close();
    }
  } finally {
    await pool.end();
  }
}
