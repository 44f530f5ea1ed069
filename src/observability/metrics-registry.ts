/**
 * One Prometheus registry per process role (API, worker), never prom-client's global one:
 * tests run several APIs and workers in one process, and each must expose only its own series.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Prefix of every series cdrflow defines; the process metrics keep prom-client's names. */
export const METRIC_PREFIX = 'cdrflow_';

export function createMetricsRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  // CPU, memory, event loop lag, GC: what tells a slow scrape from a starving process.
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
