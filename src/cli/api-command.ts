import { startApiServer } from '../api/server';
import { apiConfig, databaseConfig, observabilityConfig } from '../config';
import { createApiMetrics } from '../observability/api-metrics';
import { createLogger } from '../observability/logger';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { onShutdownSignal } from './process-lifecycle';

/**
 * `cdrflow api`: the OCPI service GIREVE pulls CDRs from, with Prometheus metrics on
 * GET /metrics. Logs JSON lines on stderr.
 */
export async function runApiCommand(): Promise<void> {
  const database = databaseConfig();
  const config = apiConfig();
  const observability = observabilityConfig();
  const logger = createLogger({
    name: 'cdrflow-api',
    level: observability.logLevel,
    secrets: [...config.clients.map((client) => client.token), observability.metricsToken],
  });
  const pool = createPool(database.DATABASE_URL);
  await migrate(pool);
  const api = await startApiServer({
    pool,
    config,
    metrics: createApiMetrics({ pool, token: observability.metricsToken }),
    logError: (error) => logger.error({ err: error }, 'unexpected error answering a request (answered 500)'),
  });
  onShutdownSignal(async () => {
    await api.close();
    await pool.end();
  });
  logger.info(
    { url: api.url, baseUrl: config.baseUrl, metrics: `${api.url}/metrics`, metricsProtected: observability.metricsToken !== null },
    // Supervisors and scripts/bench wait for this text: keep its start.
    `cdrflow api: listening on ${api.url}, public base URL ${config.baseUrl}`,
  );
}
