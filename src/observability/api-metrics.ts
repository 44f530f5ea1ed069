/**
 * The API's metrics: pull requests by route and HTTP status, and the store-backed queue
 * gauges read at scrape time. The API server reports every answer (src/api/transport/metrics-hook.ts);
 * `cdrflow api` serves the endpoint on its own port (API_METRICS_PORT), never on the
 * public OCPI port.
 */
import type { Pool } from 'pg';
import { Counter } from 'prom-client';
import { createMetricsEndpoint, type MetricsEndpoint } from './metrics-endpoint';
import { createMetricsRegistry, METRIC_PREFIX } from './metrics-registry';
import { createQueueGauges } from './queue-gauges';

export interface ApiMetrics {
  /** Answers GET /metrics (on the metrics server of src/observability/metrics-server.ts). */
  endpoint: MetricsEndpoint;
  /** Counts one answered request under its route pattern (`unknown` for unmatched paths). */
  countAnswer(route: string, httpStatus: number): void;
}

export function createApiMetrics(options: {
  pool: Pool;
  /** METRICS_TOKEN, or null for an open /metrics. */
  token: string | null;
  /** How long one read of the store serves the scrapes (default DEFAULT_STORE_READ_MAX_AGE_MS); 0 reads at each scrape. */
  storeReadMaxAgeMs?: number;
}): ApiMetrics {
  const registry = createMetricsRegistry();
  const requests = new Counter({
    name: `${METRIC_PREFIX}api_requests_total`,
    help: 'Requests the OCPI API answered, by route pattern and HTTP status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const queueGauges = createQueueGauges(registry, options.pool, { maxAgeMs: options.storeReadMaxAgeMs });
  return {
    endpoint: createMetricsEndpoint({ registry, token: options.token, beforeScrape: queueGauges.refresh }),
    countAnswer(route, httpStatus) {
      requests.inc({ route, status: String(httpStatus) });
    },
  };
}
