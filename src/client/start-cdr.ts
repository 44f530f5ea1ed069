/**
 * What a CPO backend calls when a charging session ends.
 *
 *   const { workflowId } = await startCdr(client, sessionEnded);
 *
 * When it returns, the CDR's place in its CPO's delivery queue is fixed: CDRs reach the
 * IOP in the order their sessions were handed in, however long each build takes.
 * Calling it again for the same session is safe and never creates a second CDR.
 */
import { Connection, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { cdrIdFor } from '../cdr/build/cdr-id';
import { operatorId } from '../ocpi/party';
import { type SessionEnded } from '../cdr/session/session-ended';
import { parseSessionEnded } from '../cdr/session/parse-session-ended';
import { cdrWorkflowId } from '../../workflows/ids';
import { CdrDeliveryStatus, CdrId, CdrOperatorId, CdrSessionId } from '../../workflows/search-attributes';
import type { cdrSessionWorkflow } from '../../workflows/cdr-session';
import type { QueueSettings } from '../../workflows/definitions';
import { explainTemporalError, type TemporalTarget } from '../temporal/temporal-errors';
import { signalEnqueue } from '../temporal/queue-signals';

export interface StartedCdr {
  workflowId: string;
  cdrId: string;
  /** True when this session had been handed in before: nothing new was started. */
  alreadyStarted: boolean;
}

export const DEFAULT_TASK_QUEUE = 'cdrflow';

/**
 * Validates `sessionEnded` (throws InvalidSessionEndedError naming each bad field) and starts its CDR workflow.
 * A Temporal failure throws TemporalSetupError saying its cause and what to do (its `code`:
 * TEMPORAL_UNAVAILABLE, TEMPORAL_SEARCH_ATTRIBUTE_MISSING, ...).
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

  // The session workflow first, then its place in the queue: an entry in the queue then
  // always has a workflow that will build its CDR (a queue looking into a head that is not
  // built never takes "no workflow yet" for "never handed in"). The place is fixed before
  // this returns: by the enqueue, or by the stored notice if the build was even quicker.
  const replay = options.replay === true;
  let alreadyStarted = false;
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
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw explainTemporalError(error, targetOf(client));
    alreadyStarted = true;
  }
  // Also on a repeated hand-in: the first one may have failed right after starting the workflow.
  try {
    await signalEnqueue(client, taskQueue, party, { cdrId, sessionId: session.id }, options.queueSettings);
  } catch (error) {
    throw explainTemporalError(error, targetOf(client));
  }
  return { workflowId, cdrId, alreadyStarted };
}

/** Where the client talks to, for an error message. */
function targetOf(client: Client): TemporalTarget {
  const connection = client.connection instanceof Connection ? client.connection : undefined;
  return {
    address: connection?.options.address ?? 'the Temporal server',
    namespace: client.options.namespace,
    tls: undefined,
  };
}
