/**
 * Store-backed gauges of the API's /metrics, read from Postgres at scrape time: queue
 * depth and oldest queued age per CPO, depth per receiver (lane), stored CDRs by status, recent check mismatches,
 * and whether the store answered at all. A read serves every scrape for a few seconds
 * (`maxAgeMs`), so two Prometheus servers, or a scraper gone wild, cost one query.
 *
 * Every CPO with a stored CDR keeps its series (0 when its queue is empty), so an alert
 * on `> threshold` resolves instead of going stale. When the store does not answer, the
 * per-CPO series are dropped rather than left at their last value, and
 * `cdrflow_store_up` says why they are missing.
 */
import type { Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { operatorId } from '../ocpi/party';
import { readQueueMetrics, type QueueMetrics } from '../store/queue-metrics-query';
import { METRIC_PREFIX } from './metrics-registry';

/** Below Prometheus' default scrape timeout (10 s), so the scrape still answers. */
const STORE_READ_TIMEOUT_MS = 5_000;

/** Well under any scrape interval, so every scrape of a Prometheus still sees fresh numbers. */
export const DEFAULT_STORE_READ_MAX_AGE_MS = 5_000;

const STATUSES = ['queued', 'sent', 'rejected', 'invalid'] as const;

export interface QueueGauges {
  /** Reads the store and sets every gauge; never rejects. */
  refresh(): Promise<void>;
}

export function createQueueGauges(registry: Registry, pool: Pool, options: { maxAgeMs?: number } = {}): QueueGauges {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_STORE_READ_MAX_AGE_MS;
  const registers = [registry];
  const depth = new Gauge({
    name: `${METRIC_PREFIX}queue_depth`,
    help: 'CDRs waiting to be delivered (status queued), per CPO',
    labelNames: ['cpo'] as const,
    registers,
  });
  const oldestAge = new Gauge({
    name: `${METRIC_PREFIX}queue_oldest_age_seconds`,
    help: 'Seconds since the oldest undelivered (queued) CDR was stored, per CPO; 0 when none waits',
    labelNames: ['cpo'] as const,
    registers,
  });
  const stored = new Gauge({
    name: `${METRIC_PREFIX}stored_cdrs`,
    help: 'CDRs in the store by CPO and status (queued, sent, rejected, invalid)',
    labelNames: ['cpo', 'status'] as const,
    registers,
  });
  const mismatches = new Gauge({
    name: `${METRIC_PREFIX}check_mismatches_last_day`,
    help: 'CDRs last updated in the past 24 h whose check at the IOP found a difference, per CPO',
    labelNames: ['cpo'] as const,
    registers,
  });
  const storeUp = new Gauge({
    name: `${METRIC_PREFIX}store_up`,
    help: '1 when the store answered the queries behind the queue gauges at this scrape, else 0',
    registers,
  });
  const laneDepth = new Gauge({
    name: `${METRIC_PREFIX}lane_depth`,
    help: 'CDRs waiting for one receiver of a CPO (its connection; default = IOP_*): one down receiver shows here alone',
    labelNames: ['cpo', 'connection'] as const,
    registers,
  });
  const perCpo = [depth, oldestAge, stored, mismatches, laneDepth];

  function set({ parties, lanes }: QueueMetrics): void {
    // Reset and set with no await between: a concurrent scrape sees the old set or the new one.
    for (const gauge of perCpo) gauge.reset();
    for (const lane of lanes) laneDepth.set({ cpo: operatorId(lane), connection: lane.connection }, lane.queued);
    for (const row of parties) {
      const cpo = operatorId(row);
      depth.set({ cpo }, row.queued);
      oldestAge.set({ cpo }, row.oldest_queued_age_seconds);
      for (const status of STATUSES) stored.set({ cpo, status }, row[status]);
      mismatches.set({ cpo }, row.check_mismatches_last_day);
    }
  }

  // Concurrent scrapes share one read, so a flood of /metrics holds at most one connection.
  let inFlight: Promise<void> | undefined;
  // performance.now() of the last read's end; a failed read counts too, so a down store is not hammered.
  let lastReadAt = -Infinity;

  async function read(): Promise<void> {
    try {
      set(await withDeadline(readQueueMetrics(pool, STORE_READ_TIMEOUT_MS), STORE_READ_TIMEOUT_MS + 1_000));
      storeUp.set(1);
    } catch {
      set({ parties: [], lanes: [] });
      storeUp.set(0);
    } finally {
      lastReadAt = performance.now();
    }
  }

  return {
    async refresh() {
      if (performance.now() - lastReadAt < maxAgeMs) return;
      inFlight ??= read().finally(() => (inFlight = undefined));
      await inFlight;
    },
  };
}

/** Connecting to an unreachable server has no timeout of its own; the scrape must not wait on it. */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
