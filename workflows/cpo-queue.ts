/**
 * One per CPO (country_code, party_id): owns the wire to the IOP. The queue itself (which
 * CDRs wait, in hand-in order) is in Postgres; this workflow writes the hand-ins it is told
 * of there, in the order they arrive, and drives the POSTs at the head of each receiver's
 * lane: one activity POSTs the run of stored CDRs at the head one after the other (up to a
 * size and time budget), so each CDR costs one IOP round trip and the workflow hop is paid
 * once per run. The head is retried with capped backoff and no attempt limit until the IOP
 * delivers or rejects it (store and forward); nothing overtakes it meanwhile.
 *
 * Its own state is small whatever the queue's length (cpo-queue/state.ts): paused or not,
 * each lane's head and failed attempts, and hand-ins not yet written (only while Postgres is down).
 */
import { allHandlersFinished, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import {
  cdrStoredSignal,
  enqueueSignal,
  pauseSignal,
  queueStatusQuery,
  resendUpdate,
  resumeSignal,
  retryNowSignal,
  wakeSignal,
  type QueueState,
} from './definitions';
import { requeueRejected } from './cpo-queue/activities';
import { runLane } from './cpo-queue/lane-loop';
import { QueueRun } from './cpo-queue/state';
import { queueStatus } from './cpo-queue/status';

export async function cpoQueueWorkflow(initial: QueueState): Promise<void> {
  const run = new QueueRun(initial);
  const { party } = run;

  // Every enqueue is written (the store keeps a CDR already queued in its place, and ignores
  // one already settled), so a replayed session is queued again.
  setHandler(enqueueSignal, ({ cdrId, sessionId }) => run.handIn(cdrId, sessionId));
  // Also queues a CDR whose enqueue has not reached this queue (yet, or ever: a backend that
  // gave up between starting the session's workflow and enqueuing it).
  setHandler(cdrStoredSignal, ({ cdrId, sessionId, valid }) => {
    if (valid) run.handIn(cdrId, sessionId, true);
    run.nudgeAll();
  });
  setHandler(pauseSignal, () => void (run.paused = true));
  setHandler(wakeSignal, () => run.nudgeAll());
  setHandler(resumeSignal, () => run.resume());
  setHandler(retryNowSignal, () => run.retryHeadsNow());
  setHandler(queueStatusQuery, () => queueStatus(run));
  setHandler(resendUpdate, async ({ cdrId }) => {
    const requeued = await requeueRejected({ ...party, id: cdrId });
    if (requeued && 'refused' in requeued) return { requeued: false, reason: requeued.refused };
    if (!requeued)
      return {
        requeued: false,
        reason: 'only a rejected CDR, or a sent one the IOP no longer has (and no credit CDR cancels), can be re-sent',
      };
    run.nudgeAll();
    return { requeued: true, depth: requeued.depth };
  });

  await runLane(run, run.first);
  // Every lane stops at the hand-over (between runs), then the next run takes their heads.
  await Promise.all(run.otherLanes.values());
  await Promise.all(run.outgoing);
  await condition(allHandlersFinished);
  return continueAsNew<typeof cpoQueueWorkflow>(run.nextState());
}
