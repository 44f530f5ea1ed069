/**
 * One per CPO (country_code, party_id): owns the wire to the IOP. It keeps CDR ids in the
 * order sessions were handed in and POSTs the head itself, with a local activity so each
 * CDR costs one IOP round trip and no extra workflow hop. The head is retried with capped
 * backoff and no attempt limit until the IOP delivers or rejects it (store and forward);
 * nothing overtakes it meanwhile. Bodies stay in Postgres; only ids live here.
 */
import {
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { DeliveryActivities } from '../activities/delivery-activities';
import type { QueueActivities } from '../activities/queue-activities';
import {
  cdrStoredSignal,
  deliveryResultSignal,
  enqueueSignal,
  pauseSignal,
  queueStatusQuery,
  resumeSignal,
  type DeliveryResult,
  type QueueEntry,
  type QueueState,
} from './definitions';
import { cdrWorkflowId } from './ids';

const { deliverCdr } = proxyLocalActivities<DeliveryActivities>({
  // Covers the IOP request timeout plus the database writes around it.
  startToCloseTimeout: '2 minutes',
  // Failures here are our own (database down): retry forever, the head must not be dropped.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const { inspectHead } = proxyActivities<QueueActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** How long the head may wait for its CDR to be stored before the queue looks into why. */
const HEAD_STORE_PATIENCE = '30 seconds';
/** Keep enough ids to swallow a late duplicate enqueue, without growing forever. */
const RECENTLY_FINISHED_LIMIT = 2_000;
/** Hand over to a fresh run well before Temporal's history limits. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 10_000;

export async function cpoQueueWorkflow(initial: QueueState): Promise<void> {
  const state: QueueState = initial;
  const outgoing = new Set<Promise<void>>();
  const isKnown = (cdrId: string) =>
    state.entries.some((entry) => entry.cdrId === cdrId) || state.recentlyFinished.includes(cdrId);

  setHandler(enqueueSignal, ({ cdrId, sessionId }) => {
    if (!isKnown(cdrId)) state.entries.push({ cdrId, sessionId, enqueuedAt: Date.now(), stored: false });
  });
  setHandler(cdrStoredSignal, ({ cdrId, sessionId, valid }) => {
    const index = state.entries.findIndex((entry) => entry.cdrId === cdrId);
    if (!valid) {
      // An invalid CDR is never sent: it stays stored as invalid for operators.
      if (index >= 0) finish(index, undefined);
      return;
    }
    if (index >= 0) state.entries[index]!.stored = true;
    // The client's enqueue never arrived (it crashed between its two calls): queue it now.
    else if (!state.recentlyFinished.includes(cdrId)) {
      state.entries.push({ cdrId, sessionId, enqueuedAt: Date.now(), stored: true });
    }
  });
  setHandler(pauseSignal, () => void (state.paused = true));
  setHandler(resumeSignal, () => void (state.paused = false));
  setHandler(queueStatusQuery, () => ({
    depth: state.entries.length,
    head: state.entries[0] ?? null,
    oldestEnqueuedAt: state.entries[0]?.enqueuedAt ?? null,
    paused: state.paused,
    headAttempts: state.headAttempts,
    headLastError: state.headLastError,
  }));

  function finish(index: number, result: DeliveryResult | undefined): void {
    if (index < 0) return;
    const [entry] = state.entries.splice(index, 1);
    if (!entry) return;
    state.recentlyFinished.push(entry.cdrId);
    if (state.recentlyFinished.length > RECENTLY_FINISHED_LIMIT) state.recentlyFinished.shift();
    if (index === 0) {
      state.headAttempts = 0;
      state.headOutcomeUnknown = false;
      state.headLastError = null;
    }
    if (result) tellSessionWorkflow(entry, result);
  }

  // Off the hot path: the next POST does not wait for this signal. A session workflow that
  // was terminated no longer listens; its outcome is in Postgres already.
  function tellSessionWorkflow(entry: QueueEntry, result: DeliveryResult): void {
    const sent = getExternalWorkflowHandle(cdrWorkflowId(state.party, entry.sessionId))
      .signal(deliveryResultSignal, result)
      .catch(() => undefined);
    outgoing.add(sent);
    void sent.then(() => outgoing.delete(sent));
  }

  async function settleStuckHead(entry: QueueEntry): Promise<void> {
    const found = await inspectHead({ party: state.party, cdrId: entry.cdrId, sessionId: entry.sessionId });
    const index = state.entries.indexOf(entry);
    if (index < 0) return;
    if (found.verdict === 'stored') entry.stored = true;
    else if (found.verdict === 'settled') finish(index, found.result ?? undefined);
    else if (found.verdict === 'abandoned') finish(index, undefined);
    // 'building' and 'restarted': the session workflow will report when its CDR is stored.
  }

  const headReady = () => !state.paused && state.entries[0]?.stored === true;
  const timeToHandOver = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_EVENTS_BEFORE_CONTINUE;

  for (;;) {
    const head = state.entries[0];
    const paused = state.paused;
    // Wake on a ready head, a new head (or none), pause or resume, or time to hand over.
    const somethingToDo = () =>
      headReady() || timeToHandOver() || state.entries[0] !== head || state.paused !== paused;
    if (head && !head.stored && !state.paused) {
      if (!(await condition(somethingToDo, HEAD_STORE_PATIENCE))) await settleStuckHead(head);
    } else {
      await condition(somethingToDo);
    }
    if (timeToHandOver()) {
      await Promise.all(outgoing);
      await condition(allHandlersFinished);
      await continueAsNew<typeof cpoQueueWorkflow>(state);
    }
    if (!headReady()) continue;
    const ready = state.entries[0]!;
    const result = await deliverCdr({
      party: state.party,
      cdrId: ready.cdrId,
      failedAttempts: state.headAttempts,
      outcomeUnknown: state.headOutcomeUnknown,
    });
    if (result.kind === 'retry') {
      state.headAttempts++;
      state.headOutcomeUnknown = result.unknownOutcome;
      state.headLastError = result.reason;
      await sleep(result.retryAfterMs);
      continue;
    }
    // The head may have been removed meanwhile (invalid notice); only finish it if it is still there.
    const index = state.entries.findIndex((entry) => entry.cdrId === ready.cdrId);
    finish(
      index,
      result.kind === 'delivered'
        ? { status: 'delivered', location: result.location }
        : { status: 'rejected', reason: result.reason },
    );
  }
}
