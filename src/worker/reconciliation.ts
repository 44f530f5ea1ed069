/**
 * Reconciliation with the hub (OCPI issue 332: a hub lost CDRs after restoring its
 * database). Off by default; with IOP_RECONCILE_EVERY_MS set, the worker walks the CDRs
 * sent within the last IOP_RECONCILE_WINDOW_HOURS, in the order they were sent, and looks
 * each up at the IOP (GET by id), at most IOP_RECONCILE_PER_SECOND. A CDR the IOP answers
 * clearly "unknown" for is flagged (check_status `missing`, a warning log and
 * `cdrflow_reconcile_missing_total`) for an operator to re-send (`cdrflow resend`); any
 * unclear answer (no GET offered, 5xx, 429) flags nothing. One worker at a time walks
 * (a Postgres advisory lock), however many run.
 */
import type { Pool } from 'pg';
import { operatorId } from '../ocpi/party';
import { DEFAULT_RECEIVER, type ReceiverRoute, type ReceiverRouter } from '../delivery/receiver-router';
import { presenceOf } from '../iop/presence-check';
import type { DeliveryObserver, ReconcileVerdict } from '../observability/delivery-observer';
import { withPoolClient } from '../store/pool-client';
import { markMissingAtIop, sentCdrsAfter, type SentCdr, type SentPosition } from '../store/reconcile-repo';

/** Held by the worker that walks; the others skip their pass. */
const RECONCILE_LOCK = 0x63647266_7265636fn; // "cdrfreco"
const BATCH = 100;

export interface ReconcileSettings {
  everyMs: number;
  windowMs: number;
  perSecond: number;
}

export interface ReconcileLog {
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
}

export interface ReconcilePass {
  walked: boolean;
  checked: number;
  missing: number;
  unclear: number;
}

export interface Reconciliation {
  /** One walk now (or none when another worker walks); resolves when done. */
  runOnce(): Promise<ReconcilePass>;
  /** No more walks; the one under way stops before its next lookup. */
  stop(): Promise<void>;
}

export function startReconciliation(deps: {
  pool: Pool;
  router: ReceiverRouter;
  settings: ReconcileSettings;
  log: ReconcileLog;
  observer?: DeliveryObserver;
}): Reconciliation {
  const { pool, settings } = deps;
  const { router } = deps;
  const stopping = new AbortController();
  const gapMs = 1_000 / settings.perSecond;

  function count(operator: string, verdict: ReconcileVerdict): void {
    try {
      deps.observer?.reconciled?.(operator, verdict);
    } catch {
      // A broken observer loses a sample, never a walk.
    }
  }

  async function sentThrough(cdr: SentCdr): Promise<ReceiverRoute | undefined> {
    // The first receiver that took it (`default` before connections existed).
    return router.routeByName(cdr, cdr.postConnection ?? DEFAULT_RECEIVER);
  }

  async function walk(): Promise<Omit<ReconcilePass, 'walked'>> {
    const pass = { checked: 0, missing: 0, unclear: 0 };
    const since = new Date(Date.now() - settings.windowMs);
    let after: SentPosition = null;
    for (;;) {
      const batch = await sentCdrsAfter(pool, since, after, BATCH);
      for (const cdr of batch) {
        if (stopping.signal.aborted) return pass;
        const startedAt = performance.now();
        // Asked where it was sent, even when the party has moved to another connection since.
        const route = await sentThrough(cdr);
        const routing = { from: { country_code: cdr.country_code, party_id: cdr.party_id }, ...(cdr.emsp ? { to: cdr.emsp } : {}) };
        const presence = route
          ? presenceOf(cdr.id, await route.client.getCdr(route.client.checkUrl(cdr.id, null), stopping.signal, routing))
          : ({ kind: 'unclear', reason: 'no connection to ask' } as const);
        const operator = operatorId(cdr);
        pass.checked++;
        if (presence.kind === 'held') {
          // The IOP holds it: nothing to note (the pass's cursor is where the walk resumes).
          count(operator, 'held');
        } else if (presence.kind === 'absent') {
          await markMissingAtIop(pool, cdr);
          pass.missing++;
          count(operator, 'missing');
          deps.log.warn('the IOP no longer has a CDR it accepted: flagged, re-send it with cdrflow resend', {
            operator,
            cdrId: cdr.id,
            sentAt: cdr.sentAt.toISOString(),
          });
        } else {
          pass.unclear++;
          count(operator, 'unclear');
        }
        // The rate limit: the IOP sees at most perSecond lookups from this walk.
        await sleep(gapMs - (performance.now() - startedAt), stopping.signal);
      }
      const last = batch.at(-1);
      if (!last || batch.length < BATCH) return pass;
      after = { sentAt: last.sentAt, country_code: last.country_code, party_id: last.party_id, id: last.id };
    }
  }

  async function pass(): Promise<ReconcilePass> {
    // The lock's session stays open while the walk asks the IOP: a cut there must not crash the worker.
    return withPoolClient(pool, async ({ client }) => {
      const locked = await client.query<{ held: boolean }>(`SELECT pg_try_advisory_lock(${RECONCILE_LOCK}) AS held`);
      if (!locked.rows[0]?.held) return { walked: false, checked: 0, missing: 0, unclear: 0 };
      try {
        const result = await walk();
        deps.log.info('reconciliation with the IOP done', result);
        return { walked: true, ...result };
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${RECONCILE_LOCK})`);
      }
    });
  }

  let running: Promise<ReconcilePass> | undefined;
  const runOnce = () =>
    (running ??= pass()
      .catch((error: unknown) => {
        deps.log.warn('reconciliation pass failed; trying again later', { error: error instanceof Error ? error.message : String(error) });
        return { walked: false, checked: 0, missing: 0, unclear: 0 };
      })
      .finally(() => (running = undefined)));
  const timer = settings.everyMs > 0 ? setInterval(() => void runOnce(), settings.everyMs) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
