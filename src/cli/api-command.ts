import { startApiServer } from '../api/server';
import { apiConfig, apiMetricsConfig, databaseConfig, observabilityConfig } from '../config/index';
import { createApiMetrics } from '../observability/api-metrics';
import { createLogger } from '../observability/logger';
import { startMetricsServer, type MetricsServer } from '../observability/metrics-server';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { onShutdownSignal } from './process-lifecycle';

/**
 * `cdrflow api`: the OCPI service GIREVE pulls CDRs from. Prometheus metrics are served on
 * their own port (API_METRICS_PORT, loopback unless API_METRICS_HOST says otherwise, and
 * then only with METRICS_TOKEN), never on the public one. Logs JSON lines on stderr.
 */
export async function runApiCommand(): Promise<void> {
  const database = databaseConfig();
  const config = apiConfig();
  const observability = observabilityConfig();
  const metricsListener = apiMetricsConfig();
  const logger = createLogger({
    name: 'cdrflow-api',
    level: observability.logLevel,
    secrets: [...config.clients.map((client) => client.token), observability.metricsToken],
  });
  const pool = createPool(database.DATABASE_URL);
  await migrate(pool);
  const metrics = createApiMetrics({ pool, token: observability.metricsToken });
  let metricsServer: MetricsServer | undefined;
  if (metricsListener) metricsServer = await startMetricsServer({ ...metricsListener, endpoint: metrics.endpoint });
  const api = await startApiServer({
    pool,
    config,
    metrics,
    logError: (error) => logger.error({ err: error }, 'unexpected error answering a request (answered 500)'),
    logWarning: (message, error) => logger.warn({ err: error }, message),
  });
  onShutdownSignal(async () => {
    await api.close();
    await metricsServer?.close();
    await pool.end();
  });
  logger.info(
    {
      url: api.url,
      baseUrl: config.baseUrl,
      metrics: metricsServer?.url ?? 'off (set API_METRICS_PORT)',
      metricsProtected: observability.metricsToken !== null,
    },
    // Supervisors and scripts/bench wait for this text: keep its start.
    `cdrflow api: listening on ${api.url}, public base URL ${config.baseUrl}`,
  );
}
