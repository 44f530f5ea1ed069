/**
 * One per ended charging session: the unit an operator looks up. It builds and validates
 * the session's CDR, stores it and tells the CPO's queue it is ready (one local activity),
 * waits for the queue to deliver it (or the IOP to reject it), then checks it back at the
 * IOP. An invalid CDR is stored with its reasons and the workflow ends there, visibly,
 * without retrying.
 */
import {
  ActivityFailure,
  condition,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { SessionEnded } from '../src/cdr/session/session-ended';
import { deliveryResultSignal, type DeliveryResult } from './definitions';
import { CdrAttempts, CdrConnection, CdrDeliveryStatus, CdrId, CdrIop } from './search-attributes';

// A few quick tries inside the local activity; past them our own dependencies (database,
// Temporal) are down for a while, and `persistently` waits with workflow timers instead: the
// CDR is never given up, and an outage of days adds a few events per hour, not thousands.
const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 };
const OUTAGE_BACKOFF_MAX_MS = 5 * 60_000;
// Local activities: a session costs two workflow tasks, not one per step.
const { prepareCdr } = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });
// The check waits on the IOP, whose request deadline is configurable up to minutes.
const { checkCdrAtIop } = proxyLocalActivities<Activities>({ startToCloseTimeout: '5 minutes', retry });
/**
 * Patch `session-connection`: prepareCdr answers recorded before connections carry no
 * `connection`. Deprecate it (deprecatePatch, then delete the tolerant branch) once no
 * session workflow started before the connections release is open and its histories
 * leave test/replay/histories.
 */
const CONNECTION_PATCH = 'session-connection';
/**
 * Patch `partly-delivered-check`: a CDR one receiver refused and another took is checked back
 * there. Histories recorded before returned at once; keep it until none is open.
 */
const PARTLY_DELIVERED_PATCH = 'partly-delivered-check';

export type CdrWorkflowResult =
  | { status: 'invalid'; cdrId: string; errors: string[] }
  /** `check`: what the receivers that took it hold, when some did. */
  | { status: 'rejected'; cdrId: string; reason: string; check?: string }
  | { status: 'delivered'; cdrId: string; location: string | null; check: string };

export async function cdrSessionWorkflow(sessionEnded: SessionEnded): Promise<CdrWorkflowResult> {
  let result: DeliveryResult | undefined;
  setHandler(deliveryResultSignal, (delivered) => void (result ??= delivered));

  const prepared = await persistently(() => prepareCdr(sessionEnded));
  const { cdrId } = prepared;
  const connection = patched(CONNECTION_PATCH) ? prepared.connection! : prepared.connection;
  upsertSearchAttributes([
    { key: CdrIop, value: prepared.iop },
    ...(connection === undefined ? [] : [{ key: CdrConnection, value: connection }]),
  ]);
  setStatus(prepared.status, cdrId);
  if (prepared.status === 'invalid') return { status: 'invalid', cdrId, errors: prepared.validationErrors };
  // A rebuild of a session whose CDR was settled before: nothing more to send.
  if (prepared.status === 'sent') result = { status: 'delivered', location: prepared.iopLocation };
  else if (prepared.status === 'rejected') result = { status: 'rejected', reason: 'rejected by the IOP before' };
  else await condition(() => result !== undefined);

  const outcome = result!;
  setStatus(outcome.status === 'delivered' ? 'sent' : 'rejected', cdrId, outcome.attempts);
  if (outcome.status === 'rejected') {
    if (!outcome.partlyDelivered || !patched(PARTLY_DELIVERED_PATCH)) return { status: 'rejected', cdrId, reason: outcome.reason };
    // Refused by one receiver, taken by another: that copy is checked back like any delivered CDR.
    const check = await persistently(() => checkCdrAtIop({ ...sessionEnded.party, id: cdrId }));
    return { status: 'rejected', cdrId, reason: outcome.reason, check };
  }
  const check = await persistently(() => checkCdrAtIop({ ...sessionEnded.party, id: cdrId }));
  // Surfaced for operators: the IOP holds something else than what we sent.
  if (check.startsWith('mismatch')) setStatus('sent-check-mismatch', cdrId);
  return { status: 'delivered', cdrId, location: outcome.location, check };
}

/** Calls again after a failure, waiting longer each time (workflow timers), until it succeeds. */
async function persistently<T>(call: () => Promise<T>): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await sleep(Math.min(5_000 * 2 ** failures, OUTAGE_BACKOFF_MAX_MS));
    }
  }
}

function setStatus(status: string, cdrId: string, attempts?: number): void {
  if (workflowInfo().typedSearchAttributes.get(CdrDeliveryStatus) === status) return;
  upsertSearchAttributes([
    { key: CdrId, value: cdrId },
    { key: CdrDeliveryStatus, value: status },
    ...(attempts !== undefined ? [{ key: CdrAttempts, value: attempts }] : []),
  ]);
}
