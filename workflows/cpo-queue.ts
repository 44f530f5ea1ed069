/**
 * One per CPO (country_code, party_id): owns the wire to the IOP. It keeps CDR ids in the
 * order sessions were handed in and POSTs the head itself, with a local activity so each
 * CDR costs one IOP round trip and no extra workflow hop. The head is retried with capped
 * backoff and no attempt limit until the IOP delivers or rejects it (store and forward);
 * nothing overtakes it meanwhile. Bodies stay in Postgres; only ids live here.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeliveryActivities } from '../activities/delivery-activities';
import type { QueueActivities } from '../activities/queue-activities';
import {
  cdrStoredSignal,
  deliveryResultSignal,
  enqueueSignal,
  pauseSignal,
  queueStatusQuery,
  resendUpdate,
  resumeSignal,
  type DeliveryResult,
  type QueueEntry,
  type QueueMessage,
  type QueueState,
} from './definitions';
import { handOverQueue, restoreQueueState } from './queue-hand-over';
import { DeliveryQueue } from './delivery-queue';
import { cdrWorkflowId } from './ids';
import { CdrAttempts, CdrDeliveryStatus } from './search-attributes';

const { deliverCdrs } = proxyLocalActivities<DeliveryActivities>({
  // Covers a run of POSTs, each within the IOP request timeout.
  startToCloseTimeout: '10 minutes',
  // Failures here are our own (database down): retry forever, the head must not be dropped.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const { inspectHead, requeueRejected } = proxyActivities<QueueActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const DEFAULT_HEAD_STORE_PATIENCE_MS = 30_000;
/**
 * CDRs per local activity call: the workflow hop between calls (~10 ms here) is paid once
 * per run of CDRs. A pause takes effect after the run under way.
 */
const DEFAULT_DELIVERY_BATCH_SIZE = 20;
/** Hand over to a fresh run well before Temporal's history limits (50k events). */
const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

export async function cpoQueueWorkflow(initial: QueueState): Promise<void> {
  // Before any handler exists: signals that arrive meanwhile wait in the SDK's buffer.
  const queue = new DeliveryQueue(await restoreQueueState(initial));
  const { party } = initial;
  const patienceMs = initial.settings?.headStorePatienceMs ?? DEFAULT_HEAD_STORE_PATIENCE_MS;
  const historyLimit = initial.settings?.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS;
  const batchSize = initial.settings?.deliveryBatchSize ?? DEFAULT_DELIVERY_BATCH_SIZE;
  const outgoing = new Set<Promise<void>>();

  let wakeRequested = false;
  function apply(message: QueueMessage): void {
    switch (message.kind) {
      case 'enqueue':
        queue.enqueue(message.request, message.at);
        return;
      case 'stored':
        queue.markStored(message.notice, message.at);
        return;
      case 'pause':
        queue.paused = true;
        return;
      case 'resume':
        // Resume also cuts short a retry backoff: an operator who knows the IOP is back need not wait.
        queue.paused = false;
        wakeRequested = true;
        return;
    }
  }
  // While handing over to the next run, messages are held and passed on, in order.
  let held: QueueMessage[] | undefined;
  const receive = (message: QueueMessage) => (held ? void held.push(message) : apply(message));
  // Messages held by the previous run came before any buffered for this one.
  for (const message of initial.heldMessages ?? []) apply(message);

  setHandler(enqueueSignal, (request) => receive({ kind: 'enqueue', request, at: Date.now() }));
  setHandler(cdrStoredSignal, (notice) => receive({ kind: 'stored', notice, at: Date.now() }));
  setHandler(pauseSignal, () => receive({ kind: 'pause' }));
  setHandler(resumeSignal, () => receive({ kind: 'resume' }));
  setHandler(queueStatusQuery, () => queue.status());
  setHandler(resendUpdate, async ({ cdrId }) => {
    if (held) return { requeued: false, reason: 'the queue is handing over to a new run: try again in a few seconds' };
    if (queue.has(cdrId)) return { requeued: false, reason: 'the CDR is already queued' };
    const requeued = await requeueRejected({ ...party, id: cdrId });
    if (!requeued) return { requeued: false, reason: 'only a rejected CDR can be re-sent' };
    queue.requeue({ cdrId, sessionId: requeued.sessionId }, Date.now());
    return { requeued: true, depth: queue.status().depth };
  });

  function finish(cdrId: string, result: DeliveryResult | undefined): void {
    const entry = queue.finish(cdrId);
    if (entry && result) tellSessionWorkflow(entry, result);
  }

  // Off the hot path: the next POST does not wait for this signal. A session workflow that
  // was terminated no longer listens; the outcome is in Postgres already.
  function tellSessionWorkflow(entry: QueueEntry, result: DeliveryResult): void {
    const sent = getExternalWorkflowHandle(cdrWorkflowId(party, entry.sessionId))
      .signal(deliveryResultSignal, result)
      .catch(() => undefined);
    outgoing.add(sent);
    void sent.then(() => outgoing.delete(sent));
  }

  async function settleStuckHead(entry: QueueEntry): Promise<void> {
    const found = await inspectHead({ party, cdrId: entry.cdrId, sessionId: entry.sessionId });
    if (queue.head !== entry) return;
    if (found.verdict === 'stored') entry.stored = true;
    else if (found.verdict === 'settled') finish(entry.cdrId, found.result ?? undefined);
    else if (found.verdict === 'abandoned') queue.drop(entry.cdrId);
    // 'building' and 'restarted': the session workflow will report when its CDR is stored.
  }

  let shownStatus = '';
  function showStatus(): void {
    const head = queue.head;
    const status = queue.paused
      ? 'paused'
      : queue.headAttempts > 0
        ? 'retrying'
        : head && !head.stored && nextLook?.cdrId === head.cdrId
          ? 'waiting-for-store' // the head's CDR is still not stored after a first look into why
          : head
            ? 'draining'
            : 'idle';
    const shown = `${status}/${queue.headAttempts}`;
    if (shown === shownStatus) return;
    shownStatus = shown;
    upsertSearchAttributes([
      { key: CdrDeliveryStatus, value: status },
      { key: CdrAttempts, value: queue.headAttempts },
    ]);
  }

  let nextLook: { cdrId: string; at: number } | undefined;
  const timeToHandOver = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit;

  for (;;) {
    showStatus();
    const head = queue.head;
    const paused = queue.paused;
    // Wake on a ready head, a new head (or none), pause or resume, or time to hand over.
    const somethingToDo = () => queue.headReady || timeToHandOver() || queue.head !== head || queue.paused !== paused;
    if (head && !head.stored && !paused) {
      // Patience counts from when the entry was queued (a stale entry reaching the head late
      // is looked into at once), then from the last look.
      const dueAt = nextLook?.cdrId === head.cdrId ? nextLook.at : head.enqueuedAt + patienceMs;
      const waitMs = dueAt - Date.now();
      if (waitMs <= 0 || !(await condition(somethingToDo, waitMs))) {
        await settleStuckHead(head);
        nextLook = { cdrId: head.cdrId, at: Date.now() + patienceMs };
      }
    } else {
      await condition(somethingToDo);
    }
    if (timeToHandOver()) {
      await Promise.all(outgoing);
      await condition(allHandlersFinished);
      held = [];
      await handOverQueue(queue.snapshot(), held);
    }
    if (!queue.headReady) continue;

    const run = queue.readyRun(batchSize);
    const results = await deliverCdrs({
      party,
      cdrIds: run.map((entry) => entry.cdrId),
      failedAttempts: queue.headAttempts,
      outcomeUnknown: queue.headOutcomeUnknown,
    });
    for (const [index, result] of results.entries()) {
      const entry = run[index]!;
      const attempts = (queue.head === entry ? queue.headAttempts : 0) + 1;
      if (result.kind === 'retry') {
        if (queue.head === entry) queue.recordHeadFailure(result.reason, result.unknownOutcome);
        showStatus();
        wakeRequested = false;
        await condition(() => wakeRequested, result.retryAfterMs);
        break;
      }
      finish(
        entry.cdrId,
        result.kind === 'delivered'
          ? { status: 'delivered', location: result.location, attempts }
          : { status: 'rejected', reason: result.reason, attempts },
      );
    }
  }
}
