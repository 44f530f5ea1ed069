/**
 * One per CPO (country_code, party_id): owns the wire to the IOP. The queue itself (which
 * CDRs wait, in hand-in order) is in Postgres; this workflow writes the hand-ins it is told
 * of there, in the order they arrive, and drives the POSTs at the head: one activity POSTs
 * the run of stored CDRs at the head one after the other (up to a size and time budget), so
 * each CDR costs one IOP round trip and the workflow hop is paid once per run. The head is
 * retried with capped backoff and no attempt limit until the IOP delivers or rejects it
 * (store and forward); nothing overtakes it meanwhile.
 *
 * Its own state is small whatever the queue's length: paused or not, the head's failed
 * attempts, and hand-ins not yet written (only while Postgres is down).
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { DeliverRun, DeliveryActivities, RunEnd, SettledCdr } from '../activities/delivery-activities';
import type { QueueActivities } from '../activities/queue-activities';
import { type HandIn } from './definitions';
import {
  cdrStoredSignal,
  deliveryResultSignal,
  enqueueSignal,
  pauseSignal,
  queueStatusQuery,
  resendUpdate,
  resumeSignal,
  wakeSignal,
  type HeadState,
  type QueueActivity,
  type QueueState,
} from './definitions';
import { cdrWorkflowId } from './ids';
import { CdrAttempts, CdrDeliveryStatus } from './search-attributes';

// A failure of these is our own (the database is down): a few quick tries, then the
// workflow backs off with a timer and looks at continue-as-new in between, so an outage
// of days neither drops a CDR nor grows one run's history without bound.
const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 };
// A regular activity, not a local one: a run's workflow task ends at once, so signals are
// handled while it POSTs, and the run learns from its heartbeat that its workflow is gone
// (terminated, reset) and stops POSTing. A worker that dies mid-run is noticed within the
// heartbeat timeout; the next attempt asks the IOP about the CDR it may have sent.
const { deliverCdrs } = proxyActivities<DeliveryActivities>({
  // Covers a run (RUN_BUDGET_MS) and its last check and POST, each within the IOP request timeout.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry,
});
const { recordHandIns } = proxyLocalActivities<DeliveryActivities>({ startToCloseTimeout: '1 minute', retry });

const { inspectHead, requeueRejected } = proxyActivities<QueueActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

const DEFAULT_HEAD_STORE_PATIENCE_MS = 30_000;
/**
 * Most CDRs per run (one activity): the workflow hop between runs is paid once per run. A
 * run also ends after RUN_BUDGET_MS; a pause takes effect after the run under way.
 */
const DEFAULT_DELIVERY_BATCH_SIZE = 500;
/** Hand over to a fresh run well before Temporal's history limits (50k events). */
const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;
/** Backoff while the store fails: doubling from 1 s, at most a minute. */
const STORE_BACKOFF_MAX_MS = 60_000;
/** Hand-ins written per local activity call (keeps each call's input small). */
const HAND_INS_PER_CALL = 1_000;

/** One receiver's loop: its head, backoff and wake-ups; the hand-in order is the party's. */
interface LaneLoop {
  /** undefined: the party's first lane (the one every queue had before lanes). */
  connection: string | undefined;
  head: HeadState | null;
  activity: QueueActivity;
  storeFailures: number;
  storeError: string | null;
  /** Something may have changed at the head: a CDR stored, a re-send. */
  nudged: boolean;
  /** An operator resumed: also cuts a retry backoff short (they know the IOP is back). */
  resumed: boolean;
  lastLook?: { cdrId: string; at: number };
}

const ACTIVITY_SEVERITY: QueueActivity[] = ['paused', 'store-unavailable', 'retrying', 'waiting-for-store', 'draining', 'idle'];

export async function cpoQueueWorkflow(initial: QueueState): Promise<void> {
  const { party } = initial;
  const patienceMs = initial.settings?.headStorePatienceMs ?? DEFAULT_HEAD_STORE_PATIENCE_MS;
  const historyLimit = initial.settings?.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS;
  const batchSize = initial.settings?.deliveryBatchSize ?? DEFAULT_DELIVERY_BATCH_SIZE;
  let { paused } = initial;
  const pending: HandIn[] = [...initial.pendingHandIns];
  // Reported to their session workflows; their queue entries are removed with the next write.
  const reported: string[] = [...(initial.reported ?? [])];
  const outgoing = new Set<Promise<void>>();
  const newLane = (connection: string | undefined, head: HeadState | null): LaneLoop => ({
    connection,
    head,
    activity: 'draining',
    storeFailures: 0,
    storeError: null,
    nudged: false,
    resumed: false,
  });
  const first = newLane(undefined, initial.head);
  const lanes: LaneLoop[] = [first];
  /** The connection the first lane serves, as its last run said. */
  let firstServes: string | undefined;
  const otherLanes = new Map<string, Promise<void>>();
  /** A hand-in write is under way (lanes take turns: each write takes the pending batch). */
  let writing = false;

  // Ids this run was told to queue: a stored notice for one of them needs no second write.
  const known = new Set(pending.map((handIn) => handIn.cdrId));
  const nudgeAll = () => lanes.forEach((lane) => (lane.nudged = true));
  // Every enqueue is written (the store keeps a CDR already queued in its place, and ignores
  // one already settled), so a replayed session is queued again.
  setHandler(enqueueSignal, ({ cdrId, sessionId }) => {
    known.add(cdrId);
    pending.push({ cdrId, sessionId, at: Date.now() });
  });
  // Also queues a CDR whose enqueue has not reached this queue (yet, or ever: a backend that
  // gave up between starting the session's workflow and enqueuing it).
  setHandler(cdrStoredSignal, ({ cdrId, sessionId, valid }) => {
    if (valid && !known.has(cdrId)) {
      known.add(cdrId);
      pending.push({ cdrId, sessionId, at: Date.now() });
    }
    nudgeAll();
  });
  setHandler(pauseSignal, () => void (paused = true));
  setHandler(wakeSignal, nudgeAll);
  setHandler(resumeSignal, () => {
    paused = false;
    lanes.forEach((lane) => (lane.resumed = true));
  });
  setHandler(queueStatusQuery, () => ({
    activity: shownActivity(),
    paused,
    head: first.head ? { cdrId: first.head.cdrId, sessionId: first.head.sessionId } : null,
    headAttempts: first.head?.attempts ?? 0,
    headLastError: first.storeError ?? first.head?.lastError ?? null,
    pendingHandIns: pending.length,
    lanes: lanes.map((lane) => ({
      connection: lane.connection ?? firstServes ?? null,
      activity: lane.activity,
      head: lane.head ? { cdrId: lane.head.cdrId, sessionId: lane.head.sessionId } : null,
      headAttempts: lane.head?.attempts ?? 0,
      headLastError: lane.storeError ?? lane.head?.lastError ?? null,
    })),
  }));
  setHandler(resendUpdate, async ({ cdrId }) => {
    const requeued = await requeueRejected({ ...party, id: cdrId });
    if (!requeued) return { requeued: false, reason: 'only a rejected CDR, or a sent one the IOP no longer has (and no credit CDR cancels), can be re-sent' };
    nudgeAll();
    return { requeued: true, depth: requeued.depth };
  });

  // Off the hot path: the next POST does not wait for this signal. A session workflow that
  // was terminated no longer listens; the outcome is in Postgres already.
  function tellSessionWorkflow({ sessionId, result }: SettledCdr): void {
    if (!result) return;
    const sent = getExternalWorkflowHandle(cdrWorkflowId(party, sessionId))
      .signal(deliveryResultSignal, result)
      .catch(() => undefined);
    outgoing.add(sent);
    void sent.then(() => outgoing.delete(sent));
  }

  /** What operators see: the most pressing of the lanes' activities. */
  function shownActivity(): QueueActivity {
    return ACTIVITY_SEVERITY.find((activity) => lanes.some((lane) => lane.activity === activity)) ?? 'idle';
  }

  let shownStatus = '';
  function show(lane: LaneLoop, now: QueueActivity): void {
    lane.activity = paused ? 'paused' : now;
    const activity = shownActivity();
    const attempts = Math.max(...lanes.map((one) => one.head?.attempts ?? 0));
    const shown = `${activity}/${attempts}`;
    if (shown === shownStatus) return;
    shownStatus = shown;
    upsertSearchAttributes([
      { key: CdrDeliveryStatus, value: activity },
      { key: CdrAttempts, value: attempts },
    ]);
  }

  const timeToHandOver = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit;

  // A run that starts afresh (not continued from one of its own) first adopts CDRs stored
  // `queued` without a place before it started: hand-ins a lost run held and had not written.
  let orphansAdopted = workflowInfo().continuedFromExecutionRunId !== undefined;

  /**
   * Writes pending hand-ins (and, unless told not to, removals); false when the store
   * failed (they stay pending, in order).
   */
  async function writePending(withRemovals = true): Promise<boolean> {
    // Every waiting lane wakes at once when a write ends: each looks again.
    while (writing) await condition(() => !writing);
    const batch = pending.slice(0, HAND_INS_PER_CALL);
    const removals = withRemovals ? [...reported] : [];
    // Another lane's write took them meanwhile.
    if (batch.length === 0 && removals.length === 0 && orphansAdopted) return true;
    writing = true;
    try {
      const adoptOrphansStoredBefore = orphansAdopted ? undefined : workflowInfo().runStartTime.getTime();
      const written = await recordHandIns({ party, handIns: batch, reported: removals, adoptOrphansStoredBefore });
      // Histories from before lanes recorded no result.
      startLanes(written?.lanes);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      return false;
    } finally {
      writing = false;
    }
    orphansAdopted = true;
    pending.splice(0, batch.length);
    reported.splice(0, removals.length);
    return true;
  }

  /**
   * One run at the head of a lane. Hand-ins are written before it, and while it POSTs as
   * they arrive, so Postgres knows the queue's order within moments of each hand-in even
   * when this workflow is lost mid-run.
   */
  async function deliverRun(lane: LaneLoop, removals: string[]): Promise<DeliverRun | { storeFailed: string }> {
    if ((pending.length > 0 || !orphansAdopted) && !(await writePending(false))) {
      return { storeFailed: 'hand-ins could not be written' };
    }
    const { head } = lane;
    const run = deliverCdrs({
      party,
      ...(lane.connection === undefined ? {} : { connection: lane.connection }),
      reported: removals,
      maxPosts: batchSize,
      head: head && head.attempts > 0 ? { cdrId: head.cdrId, failedAttempts: head.attempts } : null,
    });
    let finished = false;
    let writable = true;
    void run.then(
      () => (finished = true),
      () => (finished = true),
    );
    while (!finished) {
      await condition(() => finished || (writable && pending.length > 0));
      // A failed write is tried again after the run (the store is likely down for it too).
      if (!finished) writable = await writePending(false);
    }
    try {
      return await run;
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
  async function waitFor(lane: LaneLoop, wakeOn: () => boolean, ms?: number, writeHandIns = true): Promise<void> {
    const deadline = ms === undefined ? undefined : Date.now() + ms;
    const withRemovals = lane === first;
    for (;;) {
      const left = deadline === undefined ? undefined : deadline - Date.now();
      if (left !== undefined && left <= 0) return;
      const writable = () => writeHandIns && (pending.length > 0 || (withRemovals && reported.length > 0));
      const ready = () => wakeOn() || timeToHandOver() || writable();
      if (left === undefined) await condition(ready);
      else if (!(await condition(ready, left))) return;
      if (wakeOn() || timeToHandOver()) return;
      if (!(await writePending(withRemovals))) return;
    }
  }

  async function lookIntoUnstoredHead(lane: LaneLoop, end: Extract<RunEnd, { kind: 'waiting-for-store' }>): Promise<void> {
    // Patience counts from when the entry was queued (a stale entry reaching the head late is
    // looked into at once), then from the last look.
    const dueAt = lane.lastLook?.cdrId === end.cdrId ? lane.lastLook.at : end.enqueuedAt + patienceMs;
    if (dueAt > Date.now()) {
      await waitFor(lane, () => lane.nudged || lane.resumed, dueAt - Date.now());
      if (lane.nudged || lane.resumed || timeToHandOver()) return;
    }
    lane.lastLook = { cdrId: end.cdrId, at: Date.now() + patienceMs };
    try {
      await inspectHead({ party, cdrId: end.cdrId, sessionId: end.sessionId });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // Looked into again after the next patience.
    }
  }

  /** Starts a loop for each lane the party has that none serves yet. */
  function startLanes(names: string[] | undefined): void {
    // Before its first run, the first lane is about to serve the first of them.
    const servedFirst = firstServes ?? names?.[0];
    for (const connection of names ?? []) {
      if (connection === servedFirst || otherLanes.has(connection)) continue;
      const carried = initial.lanes?.find((one) => one.connection === connection);
      const lane = newLane(connection, carried?.head ?? null);
      lanes.push(lane);
      const loop = runLane(lane).finally(() => {
        otherLanes.delete(connection);
        lanes.splice(lanes.indexOf(lane), 1);
      });
      otherLanes.set(connection, loop);
    }
  }

  /** A lane's loop: returns when it is time to hand over, or the lane is gone. */
  async function runLane(lane: LaneLoop): Promise<void> {
    const isFirst = lane === first;
    for (;;) {
      if (timeToHandOver()) return;
      // Another lane's connection became the first one's: that loop serves it now.
      if (!isFirst && lane.connection === firstServes) return;
      lane.nudged = false;
      lane.resumed = false;
      if (paused) {
        show(lane, 'paused');
        await waitFor(lane, () => !paused);
        continue;
      }

      const removals = isFirst ? [...reported] : [];
      const run = await deliverRun(lane, removals);
      if ('storeFailed' in run) {
        lane.storeFailures++;
        lane.storeError = `store unavailable, retrying: ${run.storeFailed}`;
        show(lane, 'store-unavailable');
        await waitFor(lane, () => lane.resumed, Math.min(1_000 * 2 ** (lane.storeFailures - 1), STORE_BACKOFF_MAX_MS), false);
        continue;
      }
      reported.splice(0, removals.length);
      lane.storeFailures = 0;
      lane.storeError = null;
      if (isFirst) firstServes = run.connection;
      startLanes(run.lanes);
      // The run told most session workflows itself and took those CDRs off the queue (runs
      // recorded before it did carry no `told`: every settled CDR is told from here).
      const told = new Set(run.told ?? []);
      for (const settled of run.settled) {
        if (lane.head?.cdrId === settled.cdrId) lane.head = null;
        if (told.has(settled.cdrId)) continue;
        tellSessionWorkflow(settled);
        reported.push(settled.cdrId);
      }

      const { end } = run;
      switch (end.kind) {
        case 'lane-gone':
          return;
        case 'more':
          lane.head = null;
          show(lane, 'draining');
          continue;
        case 'empty':
          lane.head = null;
          show(lane, 'idle');
          // What was just reported leaves the queue now, so its depth reads 0 while idle.
          await waitFor(lane, () => lane.nudged || lane.resumed || pending.length > 0);
          continue;
        case 'waiting-for-store':
          lane.head = { cdrId: end.cdrId, sessionId: end.sessionId, attempts: 0, lastError: null };
          show(lane, 'waiting-for-store');
          await lookIntoUnstoredHead(lane, end);
          continue;
        case 'retry':
          lane.head =
            lane.head?.cdrId === end.cdrId
              ? { ...lane.head, attempts: lane.head.attempts + 1, lastError: end.reason }
              : { cdrId: end.cdrId, sessionId: end.sessionId, attempts: 1, lastError: end.reason };
          show(lane, 'retrying');
          await waitFor(lane, () => lane.resumed, end.retryAfterMs);
          continue;
        case 'held-elsewhere':
          show(lane, 'draining');
          await waitFor(lane, () => false, end.retryAfterMs);
          continue;
      }
    }
  }

  await runLane(first);
  // Every lane stops at the hand-over (between runs), then the next run takes their heads.
  await Promise.all(otherLanes.values());
  await Promise.all(outgoing);
  await condition(allHandlersFinished);
  const carried = lanes.filter((lane) => lane !== first && lane.connection !== undefined);
  const next: QueueState = {
    ...initial,
    paused,
    head: first.head,
    pendingHandIns: pending,
    reported,
    ...(carried.length > 0 ? { lanes: carried.map((lane) => ({ connection: lane.connection!, head: lane.head })) } : {}),
  };
  return continueAsNew<typeof cpoQueueWorkflow>(next);
}
