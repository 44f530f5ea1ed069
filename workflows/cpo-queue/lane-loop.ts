/**
 * One loop per lane (receiver) of a CPO's queue: runs at its head, the backoff between them,
 * and the hand-in writes that keep Postgres's order within moments of each hand-in.
 */
import { ActivityFailure, condition, getExternalWorkflowHandle, patched, workflowInfo } from '@temporalio/workflow';
import { deliveryResultSignal, type DeliverRun, type HandInsWritten, type RunEnd, type SettledCdr } from '../definitions';
import { cdrWorkflowId } from '../ids';
import { deliverCdrs, inspectHead, recordHandIns, recordPause } from './activities';
import type { LaneLoop, QueueRun } from './state';
import { show } from './status';

/** Backoff while the store fails: doubling from 1 s, at most a minute. */
const STORE_BACKOFF_MAX_MS = 60_000;
/** Hand-ins written per local activity call (keeps each call's input small). */
const HAND_INS_PER_CALL = 1_000;

/**
 * Patch `queue-lanes`: histories recorded before lanes hold recordHandIns calls that answered
 * nothing and deliverCdrs runs without `connection` or `lanes`. Deprecate it (deprecatePatch,
 * then delete the tolerant branch) once no queue run started before the lanes release is open
 * and its histories leave test/replay/histories.
 */
const LANES_PATCH = 'queue-lanes';

/** The lanes an activity answered with; tolerant of answers recorded before lanes. */
function lanesIn(answer: HandInsWritten | DeliverRun | undefined): string[] | undefined {
  return patched(LANES_PATCH) ? answer!.lanes : answer?.lanes;
}

/** A lane's loop: returns when it is time to hand over, or the lane is gone. */
export async function runLane(run: QueueRun, lane: LaneLoop): Promise<void> {
  const isFirst = lane === run.first;
  for (;;) {
    if (run.timeToHandOver()) return;
    // Another lane's connection became the first one's: that loop serves it now.
    if (!isFirst && lane.connection === run.firstServes) return;
    lane.nudged = false;
    lane.resumed = false;
    lane.retryNow = false;
    if (run.pauseToRecord(lane)) await recordPauseChange(run);
    if (run.paused) {
      show(run, lane, 'paused');
      // A pause the store could not take yet is written again after a while.
      await waitFor(run, lane, () => !run.paused, run.pauseToRecord(lane) ? STORE_BACKOFF_MAX_MS : undefined);
      continue;
    }

    const removals = isFirst ? [...run.reported] : [];
    const result = await deliverRun(run, lane, removals);
    if ('storeFailed' in result) {
      lane.storeFailures++;
      lane.storeError = `store unavailable, retrying: ${result.storeFailed}`;
      show(run, lane, 'store-unavailable');
      await waitFor(run, lane, () => lane.resumed, Math.min(1_000 * 2 ** (lane.storeFailures - 1), STORE_BACKOFF_MAX_MS), false);
      continue;
    }
    run.reported.splice(0, removals.length);
    lane.storeFailures = 0;
    lane.storeError = null;
    if (isFirst) run.firstServes = result.connection;
    startLanes(run, lanesIn(result));
    // The run told most session workflows itself and took those CDRs off the queue; a run
    // without a session notifier (or recorded before it had one) tells none: all are told here.
    const told = new Set(result.told ?? []);
    for (const settled of result.settled) {
      if (lane.head?.cdrId === settled.cdrId) lane.head = null;
      if (told.has(settled.cdrId)) continue;
      tellSessionWorkflow(run, settled);
      run.reported.push(settled.cdrId);
    }
    if (!(await afterRun(run, lane, result.end))) return;
  }
}

/** Writes the pause or resume signalled; left to the next turn when the store fails. */
async function recordPauseChange(run: QueueRun): Promise<void> {
  const paused = run.paused;
  try {
    await recordPause({ party: run.party, paused });
    run.pauseRecorded = paused;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
  }
}

/** What the lane does between runs, by why the last one stopped; false: the lane is gone. */
async function afterRun(run: QueueRun, lane: LaneLoop, end: RunEnd): Promise<boolean> {
  switch (end.kind) {
    case 'lane-gone':
      return false;
    case 'paused':
      // Paused in Postgres (cdrflow pause, or before this run started): the loop waits at its
      // top. A resume signalled while the run looked wins: it is written at the top.
      if (!lane.resumed) run.paused = true;
      run.pauseRecorded = true;
      return true;
    case 'more':
      lane.head = null;
      show(run, lane, 'draining');
      return true;
    case 'empty':
      lane.head = null;
      show(run, lane, 'idle');
      // What was just reported leaves the queue now, so its depth reads 0 while idle.
      await waitFor(run, lane, () => lane.nudged || lane.resumed || run.pending.length > 0 || run.pauseToRecord(lane));
      return true;
    case 'waiting-for-store':
      lane.head = { cdrId: end.cdrId, sessionId: end.sessionId, attempts: 0, lastError: null };
      show(run, lane, 'waiting-for-store');
      await lookIntoUnstoredHead(run, lane, end);
      return true;
    case 'retry':
      lane.head =
        lane.head?.cdrId === end.cdrId
          ? { ...lane.head, attempts: lane.head.attempts + 1, lastError: end.reason }
          : { cdrId: end.cdrId, sessionId: end.sessionId, attempts: 1, lastError: end.reason };
      show(run, lane, 'retrying');
      await waitFor(run, lane, () => lane.retryNow || run.pauseToRecord(lane), end.retryAfterMs);
      return true;
    case 'held-elsewhere':
      show(run, lane, 'draining');
      await waitFor(run, lane, () => false, end.retryAfterMs);
      return true;
  }
}

/** Starts a loop for each lane the party has that none serves yet. */
export function startLanes(run: QueueRun, names: string[] | undefined): void {
  // Before its first run, the first lane is about to serve the first of them.
  const servedFirst = run.firstServes ?? names?.[0];
  for (const connection of names ?? []) {
    if (connection === servedFirst || run.otherLanes.has(connection)) continue;
    const lane = run.addLane(connection);
    const loop = runLane(run, lane).finally(() => {
      run.otherLanes.delete(connection);
      run.removeLane(lane);
    });
    run.otherLanes.set(connection, loop);
  }
}

/**
 * Writes pending hand-ins (and, unless told not to, removals); false when the store
 * failed (they stay pending, in order).
 */
async function writePending(run: QueueRun, withRemovals = true): Promise<boolean> {
  // Every waiting lane wakes at once when a write ends: each looks again.
  while (run.writing) await condition(() => !run.writing);
  const batch = run.pending.slice(0, HAND_INS_PER_CALL);
  const removals = withRemovals ? [...run.reported] : [];
  // Another lane's write took them meanwhile.
  if (batch.length === 0 && removals.length === 0 && run.orphansAdopted) return true;
  run.writing = true;
  try {
    const adoptOrphansStoredBefore = run.orphansAdopted ? undefined : workflowInfo().runStartTime.getTime();
    const written = await recordHandIns({ party: run.party, handIns: batch, reported: removals, adoptOrphansStoredBefore });
    startLanes(run, lanesIn(written));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return false;
  } finally {
    run.writing = false;
  }
  run.orphansAdopted = true;
  run.pending.splice(0, batch.length);
  run.reported.splice(0, removals.length);
  return true;
}

/**
 * One run at the head of a lane. Hand-ins are written before it, and while it POSTs as
 * they arrive, so Postgres knows the queue's order within moments of each hand-in even
 * when this workflow is lost mid-run.
 */
async function deliverRun(run: QueueRun, lane: LaneLoop, removals: string[]): Promise<DeliverRun | { storeFailed: string }> {
  if ((run.pending.length > 0 || !run.orphansAdopted) && !(await writePending(run, false))) {
    return { storeFailed: 'hand-ins could not be written' };
  }
  const { head } = lane;
  const delivering = deliverCdrs({
    party: run.party,
    ...(lane.connection === undefined ? {} : { connection: lane.connection }),
    reported: removals,
    maxPosts: run.batchSize,
    head: head && head.attempts > 0 ? { cdrId: head.cdrId, failedAttempts: head.attempts } : null,
  });
  let finished = false;
  let writable = true;
  void delivering.then(
    () => (finished = true),
    () => (finished = true),
  );
  while (!finished) {
    await condition(() => finished || (writable && run.pending.length > 0));
    // A failed write is tried again after the run (the store is likely down for it too).
    if (!finished) writable = await writePending(run, false);
  }
  try {
    return await delivering;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return { storeFailed: error.cause?.message ?? error.message };
  }
}

/**
 * Waits until `wakeOn()`, time to hand over, or `ms` passed. Hand-ins that arrive
 * meanwhile are written at once (unless `writeHandIns` is false: the store is down), so
 * Postgres knows the queue's order within moments of each hand-in. Removals are the first
 * lane's to write (other lanes would take the same ones).
 */
export async function waitFor(run: QueueRun, lane: LaneLoop, wakeOn: () => boolean, ms?: number, writeHandIns = true): Promise<void> {
  const deadline = ms === undefined ? undefined : Date.now() + ms;
  const withRemovals = lane === run.first;
  for (;;) {
    const left = deadline === undefined ? undefined : deadline - Date.now();
    if (left !== undefined && left <= 0) return;
    const writable = () => writeHandIns && (run.pending.length > 0 || (withRemovals && run.reported.length > 0));
    const ready = () => wakeOn() || run.timeToHandOver() || writable();
    if (left === undefined) await condition(ready);
    else if (!(await condition(ready, left))) return;
    if (wakeOn() || run.timeToHandOver()) return;
    if (!(await writePending(run, withRemovals))) return;
  }
}

async function lookIntoUnstoredHead(run: QueueRun, lane: LaneLoop, end: Extract<RunEnd, { kind: 'waiting-for-store' }>): Promise<void> {
  // Patience counts from when the entry was queued (a stale entry reaching the head late is
  // looked into at once), then from the last look.
  const dueAt = lane.lastLook?.cdrId === end.cdrId ? lane.lastLook.at : end.enqueuedAt + run.patienceMs;
  if (dueAt > Date.now()) {
    await waitFor(run, lane, () => lane.nudged || lane.resumed, dueAt - Date.now());
    if (lane.nudged || lane.resumed || run.timeToHandOver()) return;
  }
  lane.lastLook = { cdrId: end.cdrId, at: Date.now() + run.patienceMs };
  try {
    await inspectHead({ party: run.party, cdrId: end.cdrId, sessionId: end.sessionId });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    // Looked into again after the next patience.
  }
}

// Off the hot path: the next POST does not wait for this signal. A session workflow that
// was terminated no longer listens; the outcome is in Postgres already.
function tellSessionWorkflow(run: QueueRun, { sessionId, result }: SettledCdr): void {
  if (!result) return;
  const sent = getExternalWorkflowHandle(cdrWorkflowId(run.party, sessionId))
    .signal(deliveryResultSignal, result)
    .catch(() => undefined);
  run.outgoing.add(sent);
  void sent.then(() => run.outgoing.delete(sent));
}
