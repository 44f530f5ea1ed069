/**
 * The worker's delivery series, fed by the delivery activity through its observer:
 * outcomes per CPO, POST latency, retries by cause, credentials and hub alerts, dropped hand-ins,
 * queue workflows restarted from Postgres.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { DeliveryAttempt, DeliveryObserver } from './delivery-observer';
import { METRIC_PREFIX } from './metrics-registry';

/**
 * Up to IOP_REQUEST_TIMEOUT_MS (10 s by default, at most 10 min): a timed-out POST lands
 * in the bucket of the deadline, so a wall of samples there means the IOP stopped answering.
 */
const POST_SECONDS_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];

const OUTCOMES: readonly DeliveryAttempt['outcome'][] = ['delivered', 'rejected', 'retry'];

/** Why a head CDR is retried; a small fixed set, so it can be a label. */
const RETRY_CAUSES = ['credentials', 'hub', 'unknown_outcome', 'refused'] as const;
type RetryCause = (typeof RETRY_CAUSES)[number];

/** The hub codes that raise an alert (src/iop/delivery-outcome.ts raisesHubAlert), each series from 0. */
const HUB_ALERT_CODES = ['4000', '4001', '4003'] as const;

function retryCause(attempt: DeliveryAttempt): RetryCause {
  if (attempt.credentialsAlert) return 'credentials';
  if (attempt.hubAlert !== null) return 'hub';
  return attempt.unknownOutcome ? 'unknown_outcome' : 'refused';
}

export function createDeliveryMetrics(registry: Registry): DeliveryObserver {
  const deliveries = new Counter({
    name: `${METRIC_PREFIX}deliveries_total`,
    help: 'CDR delivery attempts that ended, by CPO, connection and outcome (delivered, rejected, retry)',
    labelNames: ['cpo', 'connection', 'outcome'] as const,
    registers: [registry],
  });
  // No CPO label: latency is the IOP's, shared by every CPO, and buckets x CPOs would be many series.
  const postSeconds = new Histogram({
    name: `${METRIC_PREFIX}iop_post_duration_seconds`,
    help: 'Time of one CDR POST to the IOP, by outcome',
    labelNames: ['outcome'] as const,
    buckets: POST_SECONDS_BUCKETS,
    registers: [registry],
  });
  const retries = new Counter({
    name: `${METRIC_PREFIX}delivery_retries_total`,
    help: 'Head CDRs kept for another attempt, by CPO and cause (credentials, hub, unknown_outcome, refused)',
    labelNames: ['cpo', 'cause'] as const,
    registers: [registry],
  });
  const credentialsAlerts = new Counter({
    name: `${METRIC_PREFIX}iop_credentials_alerts_total`,
    help: 'POSTs the receiver answered 401/403 (our token refused), by CPO and connection (each connection has its own token)',
    labelNames: ['cpo', 'connection'] as const,
    registers: [registry],
  });
  const hubAlerts = new Counter({
    name: `${METRIC_PREFIX}iop_hub_alerts_total`,
    help: 'POSTs a hub refused to route, by CPO, connection and hub status (4001: unknown To party, at once; 4000 / 4003: once they last)',
    labelNames: ['cpo', 'connection', 'code'] as const,
    registers: [registry],
  });

  const droppedHandIns = new Counter({
    name: `${METRIC_PREFIX}queue_hand_ins_dropped_total`,
    help: 'Hand-ins taken off a queue because no CDR can be built for them (no session workflow, or no input), by CPO and reason',
    labelNames: ['cpo', 'reason'] as const,
    registers: [registry],
  });

  const restartedQueues = new Counter({
    name: `${METRIC_PREFIX}queues_restarted_total`,
    help: 'Queue workflows found gone (terminated, reset, lost with Temporal) and started again from Postgres by the worker, by CPO',
    labelNames: ['cpo'] as const,
    registers: [registry],
  });

  const repaired = new Counter({
    name: `${METRIC_PREFIX}deliveries_repaired_total`,
    help: 'CDRs the worker settled that nothing else would have, by CPO and kind (lane-gone: their connection no longer exists; unserved: no receiver waited for them)',
    labelNames: ['cpo', 'kind'] as const,
    registers: [registry],
  });

  const reconciled = new Counter({
    name: `${METRIC_PREFIX}reconcile_checked_total`,
    help: 'Sent CDRs looked up at the IOP by reconciliation, by CPO and verdict (held, missing, unclear)',
    labelNames: ['cpo', 'verdict'] as const,
    registers: [registry],
  });
  const missing = new Counter({
    name: `${METRIC_PREFIX}reconcile_missing_total`,
    help: 'Sent CDRs the IOP no longer has, found by reconciliation and flagged for re-sending, by CPO',
    labelNames: ['cpo'] as const,
    registers: [registry],
  });

  for (const outcome of OUTCOMES) postSeconds.zero({ outcome });

  // Every series of a CPO starts at 0 when the CPO is first seen: Prometheus' increase()
  // ignores a counter's first sample, so a credentials alert counted on a series that did
  // not exist before would never fire an alert.
  const seenOperators = new Set<string>();
  const seenConnections = new Set<string>();
  function ensureSeries(cpo: string, connection: string): void {
    if (!seenOperators.has(cpo)) {
      seenOperators.add(cpo);
      for (const cause of RETRY_CAUSES) retries.inc({ cpo, cause }, 0);
    }
    const key = `${cpo}/${connection}`;
    if (seenConnections.has(key)) return;
    seenConnections.add(key);
    for (const outcome of OUTCOMES) deliveries.inc({ cpo, connection, outcome }, 0);
    credentialsAlerts.inc({ cpo, connection }, 0);
    for (const code of HUB_ALERT_CODES) hubAlerts.inc({ cpo, connection, code }, 0);
  }

  return {
    attemptEnded(attempt) {
      ensureSeries(attempt.operator, attempt.connection);
      deliveries.inc({ cpo: attempt.operator, connection: attempt.connection, outcome: attempt.outcome });
      if (attempt.postSeconds !== null) postSeconds.observe({ outcome: attempt.outcome }, attempt.postSeconds);
      if (attempt.outcome !== 'retry') return;
      retries.inc({ cpo: attempt.operator, cause: retryCause(attempt) });
      if (attempt.credentialsAlert) credentialsAlerts.inc({ cpo: attempt.operator, connection: attempt.connection });
      if (attempt.hubAlert !== null)
        hubAlerts.inc({ cpo: attempt.operator, connection: attempt.connection, code: String(attempt.hubAlert) });
    },
    handInDropped(dropped) {
      droppedHandIns.inc({ cpo: dropped.operator, reason: dropped.reason });
    },
    queueRestarted(operator) {
      restartedQueues.inc({ cpo: operator });
    },
    deliveriesRepaired(operator, kind, count) {
      repaired.inc({ cpo: operator, kind }, count);
    },
    reconciled(operator, verdict) {
      reconciled.inc({ cpo: operator, verdict });
      if (verdict === 'missing') missing.inc({ cpo: operator });
    },
  };
}
