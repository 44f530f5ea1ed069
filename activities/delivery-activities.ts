/**
 * The POSTs of the CDRs at the head of a CPO's queue, run by the queue workflow as a local
 * activity: the shortest path from the queue to the IOP. One call takes a run of ready CDRs
 * from the head and POSTs them one after the other, so the workflow hop between two CDRs
 * is paid once per run instead of once per CDR; each outcome is written to Postgres while
 * the next POST is on the wire.
 *
 * No duplicates: every CDR is marked `post_started_at` before its POST. A CDR found so
 * marked at the next attempt (the worker died mid-POST), or whose last POST timed out, is
 * first looked up at the IOP and counted delivered if the IOP has it.
 */
import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { Party } from '../src/cdr/party';
import { operatorId } from '../src/cdr/party';
import { envelopeOf } from '../src/iop/delivery-outcome';
import type { IopClient } from '../src/iop/iop-client';
import type { DeliveryAttempt, DeliveryObserver } from '../src/observability/delivery-observer';
import { retryDelayMs, type RetrySchedule } from '../src/iop/retry-backoff';
import {
  findCdr,
  markRejected,
  markSent,
  recordFailedAttempt,
  releasePosts,
  startPosts,
  type PostClaim,
} from '../src/store/cdr-repo';

/**
 * A run starts no new POST after this long, so that even its last CDR (a check GET and a
 * POST, each within IOP_REQUEST_TIMEOUT_MS, at most 2 minutes) ends well inside the queue
 * workflow's 10-minute local activity timeout: two runs never overlap.
 */
const RUN_BUDGET_MS = 60_000;

export interface DeliveryActivityDeps {
  pool: Pool;
  iop: IopClient;
  retry: RetrySchedule;
  /** Told of every attempt's outcome (the worker's metrics); never changes a delivery. */
  observer?: DeliveryObserver;
}

export interface DeliverRequest {
  party: Party;
  /** Ready CDRs from the head of the queue, in queue order. */
  cdrIds: string[];
  /** Failed attempts so far at the head CDR, for its backoff. */
  failedAttempts: number;
  /** The head's last attempt may have reached the IOP: ask it before POSTing again. */
  outcomeUnknown: boolean;
}

export type DeliverResult =
  | { kind: 'delivered'; location: string | null }
  | { kind: 'rejected'; reason: string }
  | { kind: 'retry'; reason: string; unknownOutcome: boolean; retryAfterMs: number };

export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  const { pool, iop } = deps;

  function report(attempt: DeliveryAttempt): void {
    try {
      deps.observer?.attemptEnded(attempt);
    } catch {
      // Counting must never fail or delay a delivery: a broken observer loses a sample, not a CDR.
    }
  }

  /**
   * Does the IOP already hold this CDR (an earlier POST arrived although we never heard
   * back)? Only a CDR with this id counts as there: GIREVE answers `data: {}` to many
   * calls. Undefined when the IOP did not answer: then nothing may be POSTed yet.
   */
  async function iopHasCdr(cdrId: string): Promise<boolean | undefined> {
    const answer = await iop.getCdr(iop.checkUrl(cdrId, null));
    if (!answer) return undefined;
    const envelope = envelopeOf(answer);
    const held = answer.httpStatus === 200 && envelope?.status_code === 1000 ? envelope.data : undefined;
    const heldId = typeof held === 'object' && held !== null ? (held as { id?: unknown }).id : undefined;
    return typeof heldId === 'string' && heldId.toLowerCase() === cdrId.toLowerCase();
  }

  async function deliverOne(
    party: Party,
    claim: PostClaim,
    mayBeAtIop: boolean,
    failedAttempts: number,
    writes: WriteBehind,
  ): Promise<DeliverResult> {
    const key = { ...party, id: claim.id };
    const seen = { operator: operatorId(party), cdrId: claim.id, credentialsAlert: false, unknownOutcome: false };
    if (mayBeAtIop) {
      const held = await iopHasCdr(claim.id);
      if (held === true) {
        writes.track(markSent(pool, key, null));
        report({ ...seen, outcome: 'delivered', postSeconds: null });
        return { kind: 'delivered', location: null };
      }
      if (held === undefined) {
        const retryAfterMs = retryDelayMs(failedAttempts + 1, deps.retry);
        const reason = 'IOP did not answer the check before re-sending';
        writes.track(recordFailedAttempt(pool, key, reason, new Date(Date.now() + retryAfterMs), true));
        return { kind: 'retry', reason, unknownOutcome: true, retryAfterMs };
      }
    }
    const postStartedAt = performance.now();
    const outcome = await iop.postCdr(claim.cdr);
    const postSeconds = (performance.now() - postStartedAt) / 1000;
    report({
      ...seen,
      outcome: outcome.kind,
      postSeconds,
      credentialsAlert: outcome.kind === 'retry' && outcome.credentialsAlert,
      unknownOutcome: outcome.kind === 'retry' && outcome.unknownOutcome,
    });
    switch (outcome.kind) {
      case 'delivered':
        writes.track(markSent(pool, key, outcome.location));
        return outcome;
      case 'rejected':
        log.warn('IOP rejected CDR', { operator: operatorId(party), cdrId: claim.id, reason: outcome.reason });
        writes.track(markRejected(pool, key, outcome.reason));
        return outcome;
      case 'retry': {
        const retryAfterMs = retryDelayMs(failedAttempts + 1, deps.retry);
        const reason = outcome.credentialsAlert ? `${outcome.reason} [credentials alert]` : outcome.reason;
        if (outcome.credentialsAlert) log.error('IOP refuses our token', { operator: operatorId(party), cdrId: claim.id });
        writes.track(recordFailedAttempt(pool, key, reason, new Date(Date.now() + retryAfterMs), outcome.unknownOutcome));
        return { kind: 'retry', reason, unknownOutcome: outcome.unknownOutcome, retryAfterMs };
      }
    }
  }

  return {
    /**
     * Returns one result per CDR handled, in order; stops after the first `retry` (that CDR
     * stays the head). A failed database write fails the whole call, which the workflow
     * retries: the CDRs already delivered are then found settled or at the IOP.
     */
    async deliverCdrs(request: DeliverRequest): Promise<DeliverResult[]> {
      const { party, cdrIds } = request;
      const startedAt = performance.now();
      const claims = await startPosts(pool, party, cdrIds);
      const results: DeliverResult[] = [];
      const writes = new WriteBehind();
      try {
        for (const [index, cdrId] of cdrIds.entries()) {
          // Leave the rest for the next call well before the local activity's timeout.
          if (index > 0 && performance.now() - startedAt > RUN_BUDGET_MS) {
            await releasePosts(pool, party, cdrIds.slice(index).filter((id) => claims.get(id)?.interruptedPostAt === null));
            break;
          }
          const claim = claims.get(cdrId);
          const result = claim
            ? await deliverOne(
                party,
                claim,
                claim.interruptedPostAt !== null || (index === 0 && request.outcomeUnknown),
                index === 0 ? request.failedAttempts : 0,
                writes,
              )
            : await alreadySettled(pool, { ...party, id: cdrId });
          results.push(result);
          if (result.kind === 'retry') {
            // Not POSTed after all. One that a crashed worker may have sent keeps its mark, so it
            // is still looked up at the IOP before its next POST.
            const untouched = cdrIds.slice(index + 1).filter((id) => claims.get(id)?.interruptedPostAt === null);
            await releasePosts(pool, party, untouched);
            break;
          }
        }
      } finally {
        await writes.flush();
      }
      return results;
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;

/** Database writes that run while the next POST is on the wire; flush() fails if any failed. */
class WriteBehind {
  private readonly pending: Promise<void>[] = [];
  private failure: unknown;

  track(write: Promise<void>): void {
    // Caught at once: a rejection must not go unhandled while the next POST is awaited.
    this.pending.push(write.catch((error: unknown) => void (this.failure ??= error)));
  }

  async flush(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure !== undefined) throw this.failure;
  }
}

/** The CDR is no longer queued in the store: report what the store says happened to it. */
async function alreadySettled(pool: Pool, key: { country_code: string; party_id: string; id: string }): Promise<DeliverResult> {
  const row = await findCdr(pool, key);
  if (!row) return { kind: 'rejected', reason: 'CDR is not in the store' };
  if (row.status === 'sent') return { kind: 'delivered', location: row.iop_location };
  return { kind: 'rejected', reason: row.last_error ?? `CDR is ${row.status}` };
}
