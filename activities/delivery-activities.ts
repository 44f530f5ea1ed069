/**
 * The POST of the head CDR, run by the CPO's queue workflow as a local activity: the
 * shortest path from the queue to the IOP. It reads the body from Postgres, POSTs it,
 * and records the outcome, all in one activity so each CDR costs one round trip.
 */
import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { Party } from '../src/cdr/party';
import { operatorId } from '../src/cdr/party';
import type { IopClient } from '../src/iop/iop-client';
import { retryDelayMs, type RetrySchedule } from '../src/iop/retry-backoff';
import { findCdr, markRejected, markSent, recordFailedAttempt, startPost } from '../src/store/cdr-repo';

export interface DeliveryActivityDeps {
  pool: Pool;
  iop: IopClient;
  retry: RetrySchedule;
}

export interface DeliverRequest {
  party: Party;
  cdrId: string;
  /** Failed attempts so far at this CDR, for the backoff. */
  failedAttempts: number;
  /** The last attempt may have reached the IOP: ask it before POSTing again. */
  outcomeUnknown: boolean;
}

export type DeliverResult =
  | { kind: 'delivered'; location: string | null }
  | { kind: 'rejected'; reason: string }
  | { kind: 'retry'; reason: string; unknownOutcome: boolean; retryAfterMs: number };

export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  return {
    async deliverCdr(request: DeliverRequest): Promise<DeliverResult> {
      const key = { ...request.party, id: request.cdrId };
      const claim = await startPost(deps.pool, key);
      if (!claim) return alreadySettled(deps.pool, key);

      if (request.outcomeUnknown || claim.interruptedPostAt) {
        const checkUrl = deps.iop.checkUrl(key.id, null);
        const answer = await deps.iop.getCdr(checkUrl);
        const body = answer?.body as { status_code?: unknown; data?: unknown } | undefined;
        if (answer && answer.httpStatus === 200 && body?.status_code === 1000 && body.data) {
          // The earlier POST did arrive: count it delivered rather than send a duplicate.
          await markSent(deps.pool, key, null);
          return { kind: 'delivered', location: null };
        }
      }

      const outcome = await deps.iop.postCdr(claim.cdr);
      switch (outcome.kind) {
        case 'delivered':
          await markSent(deps.pool, key, outcome.location);
          return outcome;
        case 'rejected':
          log.warn('IOP rejected CDR', { operator: operatorId(request.party), cdrId: key.id, reason: outcome.reason });
          await markRejected(deps.pool, key, outcome.reason);
          return outcome;
        case 'retry': {
          const retryAfterMs = retryDelayMs(request.failedAttempts + 1, deps.retry);
          const reason = outcome.credentialsAlert ? `${outcome.reason} [credentials alert]` : outcome.reason;
          if (outcome.credentialsAlert) log.error('IOP refuses our token', { operator: operatorId(request.party) });
          await recordFailedAttempt(deps.pool, key, reason, new Date(Date.now() + retryAfterMs));
          return { kind: 'retry', reason, unknownOutcome: outcome.unknownOutcome, retryAfterMs };
        }
      }
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;

/** The head is no longer queued in the store: report what the store says happened to it. */
async function alreadySettled(pool: Pool, key: { country_code: string; party_id: string; id: string }): Promise<DeliverResult> {
  const row = await findCdr(pool, key);
  if (!row) return { kind: 'rejected', reason: 'CDR is not in the store' };
  if (row.status === 'sent') return { kind: 'delivered', location: row.iop_location };
  return { kind: 'rejected', reason: row.last_error ?? `CDR is ${row.status}` };
}
