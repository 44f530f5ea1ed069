import { cdrConfig, databaseConfig, iopConfig, observabilityConfig, temporalConfig, workerMetricsConfig } from '../config';
import { createDeliveryMetrics } from '../observability/delivery-metrics';
import { createLogger } from '../observability/logger';
import { createMetricsEndpoint } from '../observability/metrics-endpoint';
import { createMetricsRegistry } from '../observability/metrics-registry';
import { startMetricsServer, type MetricsServer } from '../observability/metrics-server';
import { installTemporalRuntime } from '../observability/temporal-runtime';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { createCdrWorker } from '../worker/create-worker';
import { onShutdownSignal } from './process-lifecycle';

/**
 * `cdrflow worker`: applies migrations, then runs workflows and activities until signalled.
 * Logs JSON lines on stderr (workflow and activity logs included); serves Prometheus
 * metrics on WORKER_METRICS_PORT when set.
 */
export async function runWorkerCommand(): Promise<void> {
  const database = databaseConfig();
  const temporal = temporalConfig();
  const iop = iopConfig();
  const cdr = cdrConfig();
  const observability = observabilityConfig();
  const metricsListener = workerMetricsConfig();
  const logger = createLogger({
    name: 'cdrflow-worker',
    level: observability.logLevel,
    secrets: [iop.token, observability.metricsToken],
  });
  installTemporalRuntime(logger);

  const registry = createMetricsRegistry();
  const deliveryObserver = createDeliveryMetrics(registry);
  let metricsServer: MetricsServer | undefined;
  if (metricsListener) {
    metricsServer = await startMetricsServer({
      ...metricsListener,
      endpoint: createMetricsEndpoint({ registry, token: observability.metricsToken }),
    });
  }

  const pool = createPool(database.DATABASE_URL);
  await migrate(pool);
  const worker = await createCdrWorker({
    temporalAddress: temporal.TEMPORAL_ADDRESS,
    namespace: temporal.TEMPORAL_NAMESPACE,
    taskQueue: temporal.TEMPORAL_TASK_QUEUE,
    pool,
    iop,
    cdr,
    deliveryObserver,
  });
  onShutdownSignal(async () => {
    await worker.shutdown();
    await metricsServer?.close();
    await pool.end();
  });
  logger.info(
    {
      taskQueue: temporal.TEMPORAL_TASK_QUEUE,
      temporalAddress: temporal.TEMPORAL_ADDRESS,
      namespace: temporal.TEMPORAL_NAMESPACE,
      iop: iop.cdrsUrl,
      metrics: metricsServer?.url ?? 'off (set WORKER_METRICS_PORT)',
    },
    // Supervisors and tests wait for this text: keep its start.
    `cdrflow worker: task queue ${temporal.TEMPORAL_TASK_QUEUE} on ${temporal.TEMPORAL_ADDRESS}, IOP ${iop.cdrsUrl}`,
  );
  await worker.run();
}
