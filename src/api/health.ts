/**
 * Probes for the process supervisor, without auth: liveness says the event loop answers,
 * readiness that the database does too (a pull cannot be served without it).
 */
import { serviceUnavailable } from './api-error';
import type { Handler } from './handler';

// A probe must answer within its own deadline even when connecting to Postgres hangs.
const READY_TIMEOUT_MS = 2_000;

export const health: Handler = async () => ({ data: { status: 'alive' } });

export const ready: Handler = async ({ pool }) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
  });
  try {
    await Promise.race([pool.query('SELECT 1'), timeout]);
  } catch {
    throw serviceUnavailable('not ready: the database does not answer');
  } finally {
    clearTimeout(timer);
  }
  return { data: { status: 'ready' } };
};
