/**
 * Slow-path activities of the CPO queue: what to do with a head entry whose CDR has not
 * been reported stored for a while. The store and Temporal know whether its session
 * workflow is still building, settled long ago, or never ran.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Party } from '../src/cdr/party';
import { restartSessionWorkflow } from '../src/client/restart-session-workflow';
import type { CdrKey } from '../src/store/cdr-key';
import { findCdr, requeueRejectedCdr } from '../src/store/cdr-repo';
import type { DeliveryResult, QueueEntry } from '../workflows/definitions';
import { deleteSnapshot, loadSnapshotChunk, saveSnapshotChunk } from '../src/store/queue-snapshot-repo';

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
    async saveQueueChunk(input: { snapshotId: string; chunk: number; entries: QueueEntry[] }): Promise<void> {
      await saveSnapshotChunk(deps.pool, input.snapshotId, input.chunk, input.entries);
    },

    async loadQueueChunk(input: { snapshotId: string; chunk: number }): Promise<QueueEntry[]> {
      return (await loadSnapshotChunk(deps.pool, input.snapshotId, input.chunk)) as QueueEntry[];
    },

    async deleteQueueSnapshot(snapshotId: string): Promise<void> {
      await deleteSnapshot(deps.pool, snapshotId);
    },

    /** Puts a rejected CDR back to queued, and its session workflow back to waiting for it. */
    async requeueRejected(key: CdrKey): Promise<{ sessionId: string } | undefined> {
      const requeued = await requeueRejectedCdr(deps.pool, key);
      if (requeued) await restartSessionWorkflow(deps.temporal, deps.taskQueue, key, requeued.sessionId);
      return requeued;
    },

    async inspectHead(input: { party: Party; cdrId: string; sessionId: string }): Promise<HeadVerdict> {
      const row = await findCdr(deps.pool, { ...input.party, id: input.cdrId });
      if (row?.status === 'queued') return { verdict: 'stored' };
      if (row?.status === 'sent') return { verdict: 'settled', result: { status: 'delivered', location: row.iop_location } };
      if (row?.status === 'rejected') return { verdict: 'settled', result: { status: 'rejected', reason: row.last_error ?? 'rejected' } };
      if (row?.status === 'invalid') return { verdict: 'settled', result: null };

      // No stored CDR: ask Temporal about the session's workflow. If it ended before storing
      // its CDR (terminated, say), it runs again on its original input.
      const restart = await restartSessionWorkflow(deps.temporal, deps.taskQueue, input.party, input.sessionId);
      if (restart === 'running') return { verdict: 'building' };
      // Enqueued by a client that failed before starting the session's workflow: the backend
      // got an error and will hand the session in again, which queues it again.
      if (restart === 'not-found') return { verdict: 'abandoned', reason: 'no CDR workflow exists for this session' };
      if (restart === 'no-input') return { verdict: 'abandoned', reason: 'the CDR workflow has no input to rebuild from' };
      return { verdict: 'restarted' };
    },
  };
}

export type QueueActivities = ReturnType<typeof createQueueActivities>;
