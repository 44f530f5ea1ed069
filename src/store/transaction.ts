/** Runs `work` in one transaction on a client of its own (a cut connection: see pool-client.ts). */
import type { Pool, PoolClient } from 'pg';
import { withPoolClient } from './pool-client';

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withPoolClient(pool, async ({ client, discard }) => {
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(discard);
      throw error;
    }
  });
}
