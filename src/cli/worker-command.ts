import { cdrConfig, databaseConfig, iopConfig, temporalConfig } from '../config';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { createCdrWorker } from '../worker/create-worker';
import { onShutdownSignal } from './process-lifecycle';

/** `cdrflow worker`: applies migrations, then runs workflows and activities until signalled. */
export async function runWorkerCommand(): Promise<void> {
  const database = databaseConfig();
  const temporal = temporalConfig();
  const iop = iopConfig();
  const cdr = cdrConfig();
  const pool = createPool(database.DATABASE_URL);
  await migrate(pool);
  const worker = await createCdrWorker({
    temporalAddress: temporal.TEMPORAL_ADDRESS,
    namespace: temporal.TEMPORAL_NAMESPACE,
    taskQueue: temporal.TEMPORAL_TASK_QUEUE,
    pool,
    iop,
    cdr,
  });
  onShutdownSignal(async () => {
    await worker.shutdown();
    await pool.end();
  });
  process.stderr.write(
    `cdrflow worker: task queue ${temporal.TEMPORAL_TASK_QUEUE} on ${temporal.TEMPORAL_ADDRESS}, IOP ${iop.cdrsUrl}\n`,
  );
  await worker.run();
}
