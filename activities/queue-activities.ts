/**
 * Slow-path activities of the CPO queue: what to do with a head entry whose CDR has not
 * been reported stored for a while. The store and Temporal know whether its session
 * workflow is still building, settled long ago, or never ran.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Party } from '../src/cdr/party';
import { originalSessionEnded } from '../src/client/session-workflow-input';
import type { CdrKey } from '../src/store/cdr-key';
import { findCdr, requeueRejectedCdr } from '../src/store/cdr-repo';
import type { DeliveryResult } from '../workflows/definitions';
import { cdrWorkflowId } from '../workflows/ids';

export interface QueueActivityDeps {
  pool: Pool;
  temporal: Client;
  taskQueue: string;
}

export type HeadVerdict =
  | { verdict: 'stored' }
  | { verdict: 'settled'; result: DeliveryResult | null }
  | { verdict: 'building' }
  | { verdict: 'restarted' }
  | { verdict: 'abandoned'; reason: string };

export function createQueueActivities(deps: QueueActivityDeps) {
  return {
    async requeueRejected(key: CdrKey): Promise<{ sessionId: string } | undefined> {
      return requeueRejectedCdr(deps.pool, key);
    },

    async inspectHead(input: { party: Party; cdrId: string; sessionId: string }): Promise<HeadVerdict> {
      const row = await findCdr(deps.pool, { ...input.party, id: input.cdrId });
      if (row?.status === 'queued') return { verdict: 'stored' };
      if (row?.status === 'sent') return { verdict: 'settled', result: { status: 'delivered', location: row.iop_location } };
      if (row?.status === 'rejected') return { verdict: 'settled', result: { status: 'rejected', reason: row.last_error ?? 'rejected' } };
      if (row?.status === 'invalid') return { verdict: 'settled', result: null };

      const handle = deps.temporal.workflow.getHandle(cdrWorkflowId(input.party, input.sessionId));
      let description;
      try {
        description = await handle.describe();
      } catch (error) {
        // Enqueued by a client that failed before starting the session's workflow: the backend
        // got an error and will hand the session in again, which queues it again.
        if (error instanceof WorkflowNotFoundError) return { verdict: 'abandoned', reason: 'no CDR workflow exists for this session' };
        throw error;
      }
      if (description.status.name === 'RUNNING') return { verdict: 'building' };

      // The session workflow ended before storing its CDR (terminated, say): run it again on its original input.
      const sessionEnded = await originalSessionEnded(handle);
      if (sessionEnded === undefined) return { verdict: 'abandoned', reason: 'the CDR workflow has no input to rebuild from' };
      await deps.temporal.workflow.start('cdrSessionWorkflow', {
        taskQueue: deps.taskQueue,
        workflowId: handle.workflowId,
        args: [sessionEnded],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: description.typedSearchAttributes,
      });
      return { verdict: 'restarted' };
    },
  };
}

export type QueueActivities = ReturnType<typeof createQueueActivities>;
