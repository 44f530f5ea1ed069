/**
 * What a CPO backend calls when a charging session ends.
 *
 *   const { workflowId } = await startCdr(client, sessionEnded);
 *
 * When it returns, the CDR's place in its CPO's delivery queue is fixed: CDRs reach the
 * IOP in the order their sessions were handed in, however long each build takes.
 * Calling it again for the same session is safe and never creates a second CDR.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { cdrIdFor } from '../cdr/cdr-id';
import { operatorId } from '../cdr/party';
import { parseSessionEnded, type SessionEnded } from '../cdr/session-ended';
import { cdrWorkflowId } from '../../workflows/ids';
import { CdrDeliveryStatus, CdrId, CdrOperatorId, CdrSessionId } from '../../workflows/search-attributes';
import type { cdrSessionWorkflow } from '../../workflows/cdr-session';
import type { QueueSettings } from '../../workflows/definitions';
import { signalEnqueue } from './queue-signals';

export interface StartedCdr {
  workflowId: string;
  cdrId: string;
  /** True when this session had been handed in before: nothing new was started. */
  alreadyStarted: boolean;
}

export const DEFAULT_TASK_QUEUE = 'cdrflow';

/**
 * Validates `sessionEnded` (throws InvalidSessionEndedError naming each bad field) and starts its CDR workflow.
 * `queueSettings` tune the CPO's queue workflow when this call is the one that starts it.
 */
export async function startCdr(
  client: Client,
  sessionEnded: unknown,
  options: {
    taskQueue?: string;
    queueSettings?: QueueSettings;
    /** Operator replay: start a new run although the session was handed in before (its CDR must not be queued or sent). */
    replay?: boolean;
  } = {},
): Promise<StartedCdr> {
  const input: SessionEnded = parseSessionEnded(sessionEnded);
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const { party, session } = input;
  const cdrId = cdrIdFor(party, session.id);
  const workflowId = cdrWorkflowId(party, session.id);

  // Enqueue first: the place in the queue is taken before any build can finish.
  const replay = options.replay === true;
  await signalEnqueue(client, taskQueue, party, { cdrId, sessionId: session.id }, options.queueSettings);
  try {
    await client.workflow.start<typeof cdrSessionWorkflow>('cdrSessionWorkflow', {
      taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: replay ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: CdrOperatorId, value: operatorId(party) },
        { key: CdrSessionId, value: session.id },
        { key: CdrId, value: cdrId },
        { key: CdrDeliveryStatus, value: 'building' },
      ],
      memo: { summary: `CDR of session ${session.id} at ${session.location.id} for ${operatorId(party)}` },
    });
    return { workflowId, cdrId, alreadyStarted: false };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, cdrId, alreadyStarted: true };
    throw error;
  }
}
