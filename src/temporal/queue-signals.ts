/**
 * Signal-with-start of a CPO's queue workflow: whichever message arrives first starts the
 * queue, the others join it. Used by the CPO backend's client (enqueue at session end) and
 * by the session workflow's activity (CDR stored).
 *
 * Temporal caps the signals one workflow run takes (10,000 by default). A queue hands over
 * to a new run long before, but under a storm of hand-ins to one party it may reach the cap
 * while its hand-over waits for a quiet moment (the server refuses to close a run while new
 * signals arrive): the cap is that moment, the next run takes signals within a second or so.
 * So a refused signal is sent again for a while before the caller hears of it.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { Party } from '../ocpi/party';
import { operatorId } from '../ocpi/party';
import {
  cdrStoredSignal,
  enqueueSignal,
  initialQueueState,
  wakeSignal,
  type CdrStoredNotice,
  type CpoQueueWorkflow,
  type EnqueueRequest,
  type QueueSettings,
} from '../../workflows/definitions';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { CdrOperatorId } from '../../workflows/search-attributes';

/** How long a signal refused by the per-run cap is tried again. */
const SIGNAL_CAP_PATIENCE_MS = 60_000;

async function signalQueue(send: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    try {
      await send();
      return;
    } catch (error) {
      if (!refusedByRunSignalCap(error) || Date.now() - started > SIGNAL_CAP_PATIENCE_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** The server's words for a run that has taken all the signals it may (gRPC INVALID_ARGUMENT). */
function refusedByRunSignalCap(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (/exceeded workflow execution limit for signal events/i.test(cause.message)) return true;
  }
  return false;
}

function queueStartOptions(taskQueue: string, party: Party, settings?: QueueSettings) {
  return {
    taskQueue,
    workflowId: cpoQueueWorkflowId(party),
    args: [initialQueueState({ country_code: party.country_code, party_id: party.party_id }, settings)] as [
      ReturnType<typeof initialQueueState>,
    ],
    typedSearchAttributes: [{ key: CdrOperatorId, value: operatorId(party) }],
  };
}

/** `settings` apply only when this call starts the queue workflow. */
export async function signalEnqueue(
  client: Client,
  taskQueue: string,
  party: Party,
  request: EnqueueRequest,
  settings?: QueueSettings,
): Promise<void> {
  await signalQueue(() =>
    client.workflow.signalWithStart<CpoQueueWorkflow, [EnqueueRequest]>('cpoQueueWorkflow', {
      ...queueStartOptions(taskQueue, party, settings),
      signal: enqueueSignal,
      signalArgs: [request],
    }),
  );
}

/** Starts the party's queue workflow if it is not running, and has it look at Postgres again. */
export async function signalWake(client: Client, taskQueue: string, party: Party): Promise<void> {
  await signalQueue(() =>
    client.workflow.signalWithStart<CpoQueueWorkflow, []>('cpoQueueWorkflow', {
      ...queueStartOptions(taskQueue, party),
      signal: wakeSignal,
      signalArgs: [],
    }),
  );
}

export async function signalCdrStored(client: Client, taskQueue: string, party: Party, notice: CdrStoredNotice): Promise<void> {
  await signalQueue(() =>
    client.workflow.signalWithStart<CpoQueueWorkflow, [CdrStoredNotice]>('cpoQueueWorkflow', {
      ...queueStartOptions(taskQueue, party),
      signal: cdrStoredSignal,
      signalArgs: [notice],
    }),
  );
}

/** Signals the party's queue workflow if it runs; none running is fine (it reads Postgres when it starts). */
export async function signalQueueIfRunning(client: Client, party: Party, signal: SignalDefinition<[]>): Promise<void> {
  try {
    await client.workflow.getHandle(cpoQueueWorkflowId(party)).signal(signal);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
