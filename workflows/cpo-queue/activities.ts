/** The queue workflow's activities, with their timeouts and retries declared once. */
import { proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../../activities/index';

// A failure of these is our own (the database is down): a few quick tries, then the
// workflow backs off with a timer and looks at continue-as-new in between, so an outage
// of days neither drops a CDR nor grows one run's history without bound.
const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 };

// A regular activity, not a local one: a run's workflow task ends at once, so signals are
// handled while it POSTs, and the run learns from its heartbeat that its workflow is gone
// (terminated, reset) and stops POSTing. A worker that dies mid-run is noticed within the
// heartbeat timeout; the next attempt asks the IOP about the CDR it may have sent.
export const { deliverCdrs } = proxyActivities<Activities>({
  // Covers a run (RUN_BUDGET_MS) and its last check and POST, each within the IOP request timeout.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry,
});

// Local: a hand-in write costs no extra workflow task.
export const { recordHandIns, recordPause } = proxyLocalActivities<Activities>({ startToCloseTimeout: '1 minute', retry });

// The slow path: a head whose CDR is not stored, an operator's re-send.
export const { inspectHead, requeueRejected } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});
