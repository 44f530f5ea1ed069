import {
  cdrConfig,
  databaseConfig,
  iopConfig,
  observabilityConfig,
  queueUpkeepConfig,
  temporalConfig,
  workerMetricsConfig,
} from '../config/index';
import { createDeliveryMetrics } from '../observability/delivery-metrics';
import { createLogger } from '../observability/logger';
import { createMetricsEndpoint } from '../observability/metrics-endpoint';
import { createMetricsRegistry } from '../observability/metrics-registry';
import { startMetricsServer, type MetricsServer } from '../observability/metrics-server';
import { installTemporalRuntime } from '../observability/temporal-runtime';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { temporalConnectionOptions } from '../temporal/temporal-connection';
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
  const upkeep = queueUpkeepConfig();
  const cdr = cdrConfig();
  const observability = observabilityConfig();
  const metricsListener = workerMetricsConfig();
  const logger = createLogger({
    name: 'cdrflow-worker',
    level: observability.logLevel,
    secrets: [iop.token, observability.metricsToken, temporal.apiKey],
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
    temporal: temporalConnectionOptions(temporal),
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    pool,
    iop,
    cdr,
    deliveryObserver,
    queueRepairEveryMs: upkeep.repairEveryMs,
    reconcile: upkeep.reconcile,
  });
  onShutdownSignal(async () => {
    await worker.shutdown();
    await metricsServer?.close();
    await pool.end();
  });
  logger.info(
    {
      taskQueue: temporal.taskQueue,
      temporalAddress: temporal.address,
      namespace: temporal.namespace,
      tls: temporal.tls !== null,
      searchAttributesAdded: worker.searchAttributes.added,
      iop: iop.cdrsUrl,
      metrics: metricsServer?.url ?? 'off (set WORKER_METRICS_PORT)',
    },
    // Supervisors and tests wait for this text: keep its start.
    `cdrflow worker: task queue ${temporal.taskQueue} on ${temporal.address}, IOP ${iop.cdrsUrl}`,
  );
  await worker.run();
}
