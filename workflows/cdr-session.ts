/**
 * One per ended charging session: the unit an operator looks up. It builds and validates
 * the session's CDR, stores it, tells the CPO's queue it is ready, waits for the queue to
 * deliver it (or the IOP to reject it), then checks it back at the IOP. An invalid CDR is
 * stored with its reasons and the workflow ends there, visibly, without retrying.
 */
import { condition, proxyActivities, type RetryPolicy, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CdrActivities } from '../activities/cdr-activities';
import type { SessionEnded } from '../src/cdr/session-ended';
import { deliveryResultSignal, type DeliveryResult } from './definitions';
import { CdrDeliveryStatus, CdrId } from './search-attributes';

// Our own dependencies (database, Temporal) may be down for a while: never give up on the CDR.
const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 };
// Build, store and notify take milliseconds: a short timeout gets a CDR going again soon
// when the worker that ran its activity dies.
const cdrActivities = proxyActivities<CdrActivities>({ startToCloseTimeout: '15 seconds', retry });
// The check waits on the IOP, whose request deadline is configurable up to minutes.
const { checkCdrAtIop } = proxyActivities<CdrActivities>({ startToCloseTimeout: '5 minutes', retry });

export type CdrWorkflowResult =
  | { status: 'invalid'; cdrId: string; errors: string[] }
  | { status: 'rejected'; cdrId: string; reason: string }
  | { status: 'delivered'; cdrId: string; location: string | null; check: string };

export async function cdrSessionWorkflow(sessionEnded: SessionEnded): Promise<CdrWorkflowResult> {
  let result: DeliveryResult | undefined;
  setHandler(deliveryResultSignal, (delivered) => void (result ??= delivered));

  const built = await cdrActivities.buildCdr(sessionEnded);
  const stored = await cdrActivities.storeCdr({ party: sessionEnded.party, sessionId: sessionEnded.session.id, built });
  setStatus(stored.status, built.cdrId);
  if (stored.status === 'invalid') {
    await cdrActivities.notifyCdrStored(sessionEnded.party, { cdrId: built.cdrId, sessionId: sessionEnded.session.id, valid: false });
    return { status: 'invalid', cdrId: built.cdrId, errors: stored.validationErrors };
  }
  // A rebuild of a session whose CDR already reached the IOP: nothing more to send.
  if (stored.status === 'sent') result = { status: 'delivered', location: stored.iopLocation };
  else {
    await cdrActivities.notifyCdrStored(sessionEnded.party, { cdrId: built.cdrId, sessionId: sessionEnded.session.id, valid: true });
    await condition(() => result !== undefined);
  }

  const outcome = result!;
  setStatus(outcome.status === 'delivered' ? 'sent' : 'rejected', built.cdrId);
  if (outcome.status === 'rejected') return { status: 'rejected', cdrId: built.cdrId, reason: outcome.reason };
  const check = await checkCdrAtIop({ ...sessionEnded.party, id: built.cdrId });
  return { status: 'delivered', cdrId: built.cdrId, location: outcome.location, check };
}

function setStatus(status: string, cdrId: string): void {
  if (workflowInfo().typedSearchAttributes.get(CdrDeliveryStatus) === status) return;
  upsertSearchAttributes([
    { key: CdrId, value: cdrId },
    { key: CdrDeliveryStatus, value: status },
  ]);
}
