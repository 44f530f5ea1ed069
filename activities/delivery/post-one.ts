/**
 * One CDR of a run, claimed: asked about at the receiver first when an earlier POST may have
 * reached it (or its POSTs keep failing), then POSTed, its outcome written behind the next POST.
 */
import { randomUUID } from 'node:crypto';
import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import { claimTooOldToPost } from '../../src/delivery/claim-lease';
import { bodyFor } from '../../src/delivery/lane-head';
import type { ReceiverRoute } from '../../src/delivery/receiver-router';
import { ocpiRoutingOf } from '../../src/iop/cdr-routing';
import type { OcpiRouting } from '../../src/iop/iop-client';
import { raisesHubAlert } from '../../src/iop/delivery-outcome';
import { presenceOf } from '../../src/iop/presence-check';
import { retryDelayMs, type RetrySchedule } from '../../src/iop/retry-backoff';
import type { DeliveryAttempt } from '../../src/observability/delivery-observer';
import { operatorId } from '../../src/ocpi/party';
import type { Lane } from '../../src/receivers/receiver';
import { markRejected, markSent, recordFailedAttempt, type SettledCdrState } from '../../src/store/delivery-repo';
import type { PostClaim } from '../../src/store/post-claims';
import type { WriteBehind } from './write-behind';

/** After this many failed POSTs of the head, the IOP is asked whether it holds the CDR before each new one. */
const FAILED_POSTS_BEFORE_LOOKUP = 2;

/** What every CDR of one run shares. */
export interface RunContext {
  pool: Pool;
  lane: Lane;
  route: ReceiverRoute;
  retry: RetrySchedule;
  /** How long after an uncertain POST a clear "unknown CDR" from the IOP is believed. */
  checkSettleMs: number;
  leaseMs: number;
  requestTimeoutMs: number;
  writes: WriteBehind;
  /** Takes each outcome write's answer: a CDR that every receiver has settled with it. */
  settledAll: (state: SettledCdrState | undefined) => void;
  /** Told of every attempt's outcome (metrics); never changes a delivery. */
  report: (attempt: DeliveryAttempt) => void;
  cancelled: AbortSignal;
}

export interface ClaimedCdr {
  claim: PostClaim;
  /** performance.now() when the claim was asked for (the stall guard counts from then). */
  claimedAt: number;
  failedAttempts: number;
}

export type PostResult =
  | { kind: 'delivered'; location: string | null; attempts: number }
  | { kind: 'rejected'; reason: string; attempts: number }
  | { kind: 'retry'; reason: string; retryAfterMs: number };

export async function postOne(run: RunContext, { claim, claimedAt, failedAttempts }: ClaimedCdr): Promise<PostResult> {
  const { pool, lane, route, writes, cancelled } = run;
  const operator = operatorId(lane.party);
  const seen = { operator, connection: route.connection, cdrId: claim.id, credentialsAlert: false, unknownOutcome: false, hubAlert: null };
  const backoff = () => retryDelayMs(failedAttempts + 1, run.retry);
  const attempts = failedAttempts + 1;
  const settle = (write: Promise<SettledCdrState | undefined>) => writes.track(write.then(run.settledAll));
  const notSent = (reason: string, retryAfterMs: number): PostResult => {
    // The earlier POST's outcome stays unknown: the CDR keeps its mark and is asked about again.
    writes.track(recordFailedAttempt(pool, lane, claim.id, reason, new Date(Date.now() + retryAfterMs), true, claim.earlierPostAt));
    run.report({ ...seen, outcome: 'retry', postSeconds: null, unknownOutcome: true });
    return { kind: 'retry', reason, retryAfterMs };
  };

  const iop = route.client;
  // Asked first: a CDR whose earlier POST may have reached the receiver, and one whose POSTs
  // keep failing (a receiver that took the CDR but answered an error may refuse every
  // second create of its id, which would hold the lane forever).
  const routing: OcpiRouting = { ...ocpiRoutingOf(lane.party, bodyFor(route, claim)), correlationId: randomUUID() };
  if (claim.earlierPostAt || failedAttempts >= FAILED_POSTS_BEFORE_LOOKUP) {
    const presence = presenceOf(claim.id, await iop.getCdr(iop.checkUrl(claim.id, null), cancelled, routing));
    if (presence.kind === 'held') {
      settle(markSent(pool, lane, claim.id, null));
      run.report({ ...seen, outcome: 'delivered', postSeconds: null });
      return { kind: 'delivered', location: null, attempts };
    }
    // After a clear failure nothing is on the wire: POST again whatever the check said.
    if (claim.earlierPostAt) {
      if (presence.kind === 'unclear') return notSent(`${presence.reason}: not re-sent yet`, backoff());
      const settlesInMs = claim.earlierPostAt.getTime() + run.checkSettleMs - Date.now();
      if (settlesInMs > 0) {
        return notSent('the IOP does not know the CDR yet, but the earlier POST may still be settling', Math.max(settlesInMs, backoff()));
      }
    }
  }

  const body = bodyFor(route, claim);
  if (body === null || body === undefined) {
    // Built for a connection of the other version (a 2.1.1 session without the 2.2.1 fields,
    // a 2.2.1 credit CDR): this receiver cannot take it. Set aside (visible, replayable), not retried.
    const reason = `set aside: connection ${route.connection} speaks OCPI ${iop.ocpiVersion} and this CDR has no ${iop.ocpiVersion} form`;
    settle(markRejected(pool, lane, claim.id, reason));
    return { kind: 'rejected', reason, attempts };
  }

  // A process that stalled since its claim (the check took long, the machine froze) may
  // no longer hold it: another run may have taken the CDR over. Then no POST from here.
  if (claimTooOldToPost(performance.now() - claimedAt, run.leaseMs, run.requestTimeoutMs)) {
    throw new Error(`claim on CDR ${claim.id} is too old to POST safely (this run stalled); the next run takes it`);
  }
  const postStartedAt = new Date();
  const startedMs = performance.now();
  // Cancelled mid-flight, the POST's outcome is unknown: the CDR keeps its mark and is asked about.
  const outcome = await iop.postCdr(body, cancelled, routing);
  const postSeconds = (performance.now() - startedMs) / 1000;
  const hubAlert = outcome.kind === 'retry' && raisesHubAlert(outcome.hubStatus, attempts) ? outcome.hubStatus : null;
  run.report({
    ...seen,
    outcome: outcome.kind,
    postSeconds,
    credentialsAlert: outcome.kind === 'retry' && outcome.credentialsAlert,
    unknownOutcome: outcome.kind === 'retry' && outcome.unknownOutcome,
    hubAlert,
  });
  switch (outcome.kind) {
    case 'delivered':
      settle(markSent(pool, lane, claim.id, outcome.location));
      return { ...outcome, attempts };
    case 'rejected':
      log.warn('IOP rejected CDR', { operator, connection: route.connection, cdrId: claim.id, reason: outcome.reason });
      settle(markRejected(pool, lane, claim.id, outcome.reason));
      return { ...outcome, attempts };
    case 'retry': {
      const retryAfterMs = backoff();
      const alert = outcome.credentialsAlert ? ' [credentials alert]' : hubAlert !== null ? ' [hub alert]' : '';
      const reason = `${outcome.reason}${alert}`;
      if (outcome.credentialsAlert) log.error('IOP refuses our token', { operator, connection: route.connection, cdrId: claim.id });
      if (hubAlert !== null) {
        log.error('the hub will not route our CDRs', {
          operator,
          connection: route.connection,
          cdrId: claim.id,
          hubStatus: hubAlert,
          attempts,
        });
      }
      writes.track(
        recordFailedAttempt(pool, lane, claim.id, reason, new Date(Date.now() + retryAfterMs), outcome.unknownOutcome, postStartedAt),
      );
      return { kind: 'retry', reason, retryAfterMs };
    }
  }
}
