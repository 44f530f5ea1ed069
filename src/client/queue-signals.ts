/**
 * Signal-with-start of a CPO's queue workflow: whichever message arrives first starts the
 * queue, the others join it. Used by the CPO backend's client (enqueue at session end) and
 * by the session workflow's activity (CDR stored).
 */
import type { Client } from '@temporalio/client';
import type { Party } from '../cdr/party';
import { operatorId } from '../cdr/party';
import {
  cdrStoredSignal,
  enqueueSignal,
  initialQueueState,
  wakeSignal,
  type CdrStoredNotice,
  type EnqueueRequest,
  type QueueSettings,
} from '../../workflows/definitions';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { CdrOperatorId } from '../../workflows/search-attributes';
import type { cpoQueueWorkflow } from '../../workflows/cpo-queue';

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
  await client.workflow.signalWithStart<typeof cpoQueueWorkflow, [EnqueueRequest]>('cpoQueueWorkflow', {
    ...queueStartOptions(taskQueue, party, settings),
    signal: enqueueSignal,
    signalArgs: [request],
  });
}

/** Starts the party's queue workflow if it is not running, and has it look at Postgres again. */
export async function signalWake(client: Client, taskQueue: string, party: Party): Promise<void> {
  await client.workflow.signalWithStart<typeof cpoQueueWorkflow, []>('cpoQueueWorkflow', {
    ...queueStartOptions(taskQueue, party),
    signal: wakeSignal,
    signalArgs: [],
  });
}

export async function signalCdrStored(
  client: Client,
  taskQueue: string,
  party: Party,
  notice: CdrStoredNotice,
): Promise<void> {
  await client.workflow.signalWithStart<typeof cpoQueueWorkflow, [CdrStoredNotice]>('cpoQueueWorkflow', {
    ...queueStartOptions(taskQueue, party),
    signal: cdrStoredSignal,
    signalArgs: [notice],
  });
}
