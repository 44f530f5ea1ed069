/**
 * Runs `work` on a pool client of its own. Postgres may cut the connection while the client
 * is checked out (a restart, a failover, pg_terminate_backend): between two statements that
 * arrives as an 'error' event, which without a listener would crash the process. Here it
 * fails the next statement instead, and the client is discarded, not returned to the pool.
 */
import type { Pool, PoolClient } from 'pg';

export interface CheckedOutClient {
  client: PoolClient;
  /** Mark the client unusable (e.g. it could not roll back): it is discarded on release. */
  discard(): void;
}

export async function withPoolClient<T>(pool: Pool, work: (checkedOut: CheckedOutClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | boolean = false;
  const onError = (error: Error) => void (broken = error);
  client.on('error', onError);
  try {
    return await work({ client, discard: () => void (broken = broken || true) });
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
