import { Pool, types } from 'pg';

// Keep bigint counts (COUNT(*)) as numbers: they never pass 2^53 here.
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));

/**
 * Bounds on every database call, so a hung connection or a stuck statement fails (and is
 * retried by its caller) instead of holding a run of POSTs, or a worker slot, forever.
 */
export const POOL_LIMITS = {
  /** A server that does not accept a connection within this is reported down. */
  connectionTimeoutMillis: 10_000,
  /** Server-side: any statement running longer is cancelled (migrations lift it for themselves). */
  statementTimeoutMs: 30_000,
  /** A transaction left open by a crashed caller does not hold row locks for long. */
  idleInTransactionSessionTimeoutMs: 60_000,
} as const;

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: POOL_LIMITS.connectionTimeoutMillis,
    statement_timeout: POOL_LIMITS.statementTimeoutMs,
    idle_in_transaction_session_timeout: POOL_LIMITS.idleInTransactionSessionTimeoutMs,
    // A peer that vanished without closing (a cut network) is noticed by TCP, not never.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: Postgres may cut a connection (restart, failover, terminate)
  // between two statements, or twice (the FATAL notice, then the socket's end), and pg emits
  // each as an 'error' event, fatal without a listener. The holder still learns of it: its
  // next statement fails, and pool-client.ts discards the client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
