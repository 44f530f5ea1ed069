/**
 * The CPO queue's activities besides its POSTs: writing hand-ins in arrival order, what to
 * do with a head entry whose CDR has not been stored for a while (the store and Temporal know whether its session workflow is
 * still building it, ended before storing it, or never ran), an operator's re-send, and a pause.
 */
import { log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { operatorId, type Party } from '../src/ocpi/party';
import { restartSessionWorkflow } from '../src/temporal/restart-session-workflow';
import type { DeliveryObserver } from '../src/observability/delivery-observer';
import { type CdrKey } from '../src/ocpi/party';
import { findCdr, requeueRejectedCdr } from '../src/store/cdr-repo';
import { setPaused } from '../src/store/pause-repo';
import { dropUnstoredEntry, queueOrphanedCdrs, recordHandIns, removeSettledEntries, summarizeQueue } from '../src/store/queue-repo';
import type { ReceiverRouter } from '../src/delivery/receiver-router';
import type { HandIn, HandInsWritten } from '../workflows/definitions';

export interface QueueActivityDeps {
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  /** Where each party's CDRs go: the lanes its hand-ins wait in. */
  router: ReceiverRouter;
  /** Told of every hand-in taken off a queue without a CDR (the worker's metrics). */
  observer?: DeliveryObserver;
}

export type HeadVerdict =
  /** A CDR is stored for it now (or settled): the next run handles it. */
  | { verdict: 'stored' }
  /** Its session workflow is still building the CDR, or runs again to build it. */
  | { verdict: 'building' }
  | { verdict: 'restarted' }
  /** No CDR will ever come: the entry was taken off the queue (logged and counted). */
  | { verdict: 'dropped'; reason: string };

export function createQueueActivities(deps: QueueActivityDeps) {
  const { pool } = deps;
  return {
    /**
     * Writes hand-ins in arrival order (the queue workflow calls it as they arrive, also
     * while a run POSTs), and takes reported CDRs off the queue. A queue workflow that starts
     * afresh (not continued from a run of its own) first adopts the CDRs stored `queued`
     * without a place before it started: hand-ins that a lost run (terminated, reset, gone
     * with Temporal's state) held and had not written, in stored order, ahead of its own.
     */
    async recordHandIns(input: {
      party: Party;
      handIns: HandIn[];
      reported: string[];
      /** The run's start (epoch ms) when it starts afresh. */
      adoptOrphansStoredBefore?: number;
    }): Promise<HandInsWritten> {
      if (input.adoptOrphansStoredBefore !== undefined) {
        const adopted = await queueOrphanedCdrs(pool, input.party, new Date(input.adoptOrphansStoredBefore));
        if (adopted > 0) log.warn('queue adopted CDRs that had no place in it', { operator: operatorId(input.party), adopted });
      }
      await recordHandIns(pool, input.party, input.handIns);
      await removeSettledEntries(pool, input.party, input.reported);
      // The lanes these CDRs wait in: a receiver added meanwhile starts at once, even while
      // the first lane backs off.
      return { lanes: (await deps.router.lanesFor(input.party)).map((lane) => lane.connection) };
    },

    /** Records a pause or a resume the queue workflow was signalled (Postgres keeps it across runs). */
    async recordPause(input: { party: Party; paused: boolean }): Promise<void> {
      await setPaused(pool, input.party, input.paused);
    },

    /**
     * Puts a rejected CDR back at the tail of its queue, and its session workflow back to
     * waiting for it. The queue's depth after, or undefined when the CDR was not rejected
     * (`refused`: no receiver would wait for it).
     */
    async requeueRejected(key: CdrKey): Promise<{ sessionId: string; depth: number } | { refused: string } | undefined> {
      const requeued = await requeueRejectedCdr(deps.pool, key);
      if (!requeued || 'refused' in requeued) return requeued;
      await restartSessionWorkflow(deps.temporal, deps.taskQueue, key, requeued.sessionId);
      return { sessionId: requeued.sessionId, depth: (await summarizeQueue(deps.pool, key)).depth };
    },

    async inspectHead(input: { party: Party; cdrId: string; sessionId: string }): Promise<HeadVerdict> {
      const key = { ...input.party, id: input.cdrId };
      if (await findCdr(deps.pool, key)) return { verdict: 'stored' };

      // No stored CDR: ask Temporal about the session's workflow. If it ended before storing
      // its CDR (terminated, say), it runs again on its original input.
      const restart = await restartSessionWorkflow(deps.temporal, deps.taskQueue, input.party, input.sessionId);
      if (restart === 'running') return { verdict: 'building' };
      if (restart === 'restarted') return { verdict: 'restarted' };
      // Enqueued by a client that failed before starting the session's workflow (the backend
      // got an error and hands the session in again, which queues it again), or a workflow
      // gone past the namespace's retention: nothing can build this CDR.
      const reason =
        restart === 'not-found'
          ? 'no CDR workflow exists for this session (never started, or past retention)'
          : 'the CDR workflow has no input to rebuild from';
      // Only if no CDR was stored meanwhile: a stored CDR keeps its place.
      if (!(await dropUnstoredEntry(deps.pool, key))) return { verdict: 'stored' };
      log.warn('hand-in taken off its queue without a CDR: hand the session in again if it was real', {
        operator: operatorId(input.party),
        cdrId: input.cdrId,
        sessionId: input.sessionId,
        reason,
      });
      try {
        deps.observer?.handInDropped?.({ operator: operatorId(input.party), reason: restart });
      } catch {
        // Counting never changes what happens to a queue.
      }
      return { verdict: 'dropped', reason };
    },
  };
}

export type QueueActivities = ReturnType<typeof createQueueActivities>;
