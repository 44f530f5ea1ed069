/**
 * Probes for the process supervisor, without auth: liveness says the event loop answers,
 * readiness that the database does too (a pull cannot be served without it).
 */
import type { Pool } from 'pg';
import { serviceUnavailable } from './transport/api-error';
import type { Handler } from './handler';

// A probe must answer within its own deadline even when connecting to Postgres hangs.
const READY_TIMEOUT_MS = 2_000;

export const health: Handler = async () => ({ data: { status: 'alive' } });

async function databaseAnswers(pool: Pool): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
  });
  try {
    await Promise.race([pool.query('SELECT 1'), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// Probes are not rate-limited, so concurrent ones share a single database round trip:
// a flood of /ready holds at most one pool connection.
const inFlight = new WeakMap<Pool, Promise<boolean>>();

export const ready: Handler = async ({ pool }) => {
  let check = inFlight.get(pool);
  if (!check) {
    check = databaseAnswers(pool).finally(() => inFlight.delete(pool));
    inFlight.set(pool, check);
  }
  if (!(await check)) throw serviceUnavailable('not ready: the database does not answer');
  return { data: { status: 'ready' } };
};
