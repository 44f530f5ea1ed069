/**
 * What the delivery benchmarks share: a fresh Temporal dev server (in memory), a fresh
 * Postgres database, a mock IOP on loopback and an in-process cdrflow worker. Everything
 * runs on this machine and is torn down at the end.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Client as PgClient, type Pool } from 'pg';
import { iopConfig } from '../../src/config/index';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import type { DeliveryObserver } from '../../src/observability/delivery-observer';
import { migrate } from '../../src/store/migrate';
import { createPool } from '../../src/store/pool';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { createCdrWorker, type CdrWorker } from '../../src/worker/create-worker';

export const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchEnv {
  server: DevServer;
  client: Client;
  pool: Pool;
  iop: MockIop;
  worker: CdrWorker;
  taskQueue: string;
  close(): Promise<void>;
}

export async function startBenchEnv(options: {
  iopLatencyMs: number;
  retryMaxMs?: number;
  deliveryObserver?: DeliveryObserver;
}): Promise<BenchEnv> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  const dbName = `cdrflow_bench_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const pool = createPool(dbUrl.toString(), 20);
  await migrate(pool);

  const server = await startDevServer();
  const iop = await startMockIop({ control: { latencyMs: options.iopLatencyMs } });
  const taskQueue = 'cdrflow-bench';
  const worker = await createCdrWorker({
    temporal: { address: server.address },
    namespace: 'default',
    taskQueue,
    pool,
    iop: iopConfig({
      IOP_CDRS_URL: iop.cdrsUrl,
      IOP_TOKEN: iop.token,
      IOP_RETRY_INITIAL_MS: '50',
      // Short like the other timings: an unknown outcome is re-sent after a clear "unknown CDR" this much later.
      IOP_CHECK_SETTLE_MS: '300',
      IOP_RETRY_MAX_MS: String(options.retryMaxMs ?? 200),
    }),
    deliveryObserver: options.deliveryObserver,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  // An interrupted benchmark must not leave its database or dev server behind.
  const interrupted = () => {
    void env.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let closed = false;
  const env: BenchEnv = {
    server,
    client,
    pool,
    iop,
    worker,
    taskQueue,
    async close() {
      if (closed) return;
      closed = true;
      await worker.shutdown();
      await running;
      await connection.close();
      await iop.close();
      await pool.end();
      await server.stop();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    },
  };
  return env;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const fmt = (value: number, digits = 1) => value.toFixed(digits);

export function argNumber(name: string, fallback: number): number {
  const found = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
}

/** Runs `task` for 0..count-1 with at most `concurrency` under way; results by index. */
export async function runWithConcurrency<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}
