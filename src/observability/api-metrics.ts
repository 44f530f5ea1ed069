/**
 * The API's metrics: pull requests by route and HTTP status, and the store-backed queue
 * gauges read at each scrape. The API server hands it /metrics and every other answer
 * (src/api/metrics-hook.ts).
 */
import type { Pool } from 'pg';
import { Counter } from 'prom-client';
import { createMetricsEndpoint, type MetricsEndpoint } from './metrics-endpoint';
import { createMetricsRegistry, METRIC_PREFIX } from './metrics-registry';
import { createQueueGauges } from './queue-gauges';

export interface ApiMetrics {
  /** Answers GET /metrics. */
  endpoint: MetricsEndpoint;
  /** Counts one answered request under its route pattern (`unknown` for unmatched paths). */
  countAnswer(route: string, httpStatus: number): void;
}

export function createApiMetrics(options: {
  pool: Pool;
  /** METRICS_TOKEN, or null for an open /metrics. */
  token: string | null;
}): ApiMetrics {
  const registry = createMetricsRegistry();
  const requests = new Counter({
    name: `${METRIC_PREFIX}api_requests_total`,
    help: 'Requests the OCPI API answered, by route pattern and HTTP status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const queueGauges = createQueueGauges(registry, options.pool);
  return {
    endpoint: createMetricsEndpoint({ registry, token: options.token, beforeScrape: queueGauges.refresh }),
    countAnswer(route, httpStatus) {
      requests.inc({ route, status: String(httpStatus) });
    },
  };
}
