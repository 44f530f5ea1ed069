/** "Why is CPO Y's queue stuck?" and what an operator does about it. */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Party } from '../ocpi/party';
import { countCdrsByStatus } from '../store/cdr-listing';
import { pausedSince, setPaused } from '../store/pause-repo';
import { countResolutions } from '../store/resolution-repo';
import { laneDepths, summarizeQueue } from '../store/queue-repo';
import { signalQueueIfRunning } from '../temporal/queue-signals';
import {
  pauseSignal,
  queueStatusQuery,
  resendUpdate,
  resumeSignal,
  type QueueStatus,
  type ResendResult,
} from '../../workflows/definitions';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import type { OperatorContext } from './operator-context';
import { describeLanes, partyLanes } from './party-connection';

export interface QueueReport {
  workflowId: string;
  running: boolean;
  /** Where the queue delivers: the party's receivers (`default (IOP_*)` without a connection of its own). */
  connection: string;
  /** Each receiver's lane: CDRs waiting for it (Postgres), and what its loop is doing (the workflow). */
  lanes: {
    connection: string;
    depth: number;
    activity: string | null;
    head: string | null;
    headAttempts: number;
    currentError: string | null;
    /** When the oldest CDR waiting here was stored (or handed in): a replacement's --backfill-from. */
    oldestWaitingSince: string | null;
  }[];
  /** From Postgres, the queue's system of record: hand-ins waiting, CDRs built or not. */
  depth: number;
  paused: boolean;
  head: string | null;
  /** What the queue workflow is doing (draining, retrying, waiting-for-store, ...). */
  activity: string | null;
  oldestAgeSeconds: number | null;
  headAttempts: number;
  currentError: string | null;
  storedByStatus: Record<string, number>;
  /** Deliveries operators resolved by hand (cdrflow resolve), by verdict. */
  resolvedByOperator: Record<string, number>;
}

export async function queueReport({ client, pool }: OperatorContext, party: Party, now = Date.now()): Promise<QueueReport> {
  const workflowId = cpoQueueWorkflowId(party);
  let status: QueueStatus | undefined;
  try {
    status = await client.workflow.getHandle(workflowId).query(queueStatusQuery);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  const queue = await summarizeQueue(pool, party);
  const lanes = await partyLanes(pool, party);
  const depths = await laneDepths(pool, party);
  return {
    workflowId,
    running: status !== undefined,
    connection: describeLanes(lanes),
    lanes: lanes.map(({ name }) => {
      const loop = status?.lanes?.find((one) => one.connection === name);
      return {
        connection: name,
        depth: depths.get(name)?.depth ?? 0,
        oldestWaitingSince: depths.get(name)?.oldestWaitingSince?.toISOString() ?? null,
        activity: loop?.activity ?? null,
        head: loop?.head?.cdrId ?? null,
        headAttempts: loop?.headAttempts ?? 0,
        currentError: loop?.headLastError ?? null,
      };
    }),
    depth: queue.depth,
    // Postgres holds the pause; a running queue may have been paused by a signal not yet written.
    paused: (await pausedSince(pool, party)) !== null || (status?.paused ?? false),
    head: queue.headCdrId,
    activity: status?.activity ?? null,
    oldestAgeSeconds: queue.oldestEnqueuedAt ? Math.round((now - queue.oldestEnqueuedAt.getTime()) / 1000) : null,
    headAttempts: status?.headAttempts ?? 0,
    currentError: status?.headLastError ?? null,
    storedByStatus: await countCdrsByStatus(pool, party),
    resolvedByOperator: await countResolutions(pool, party),
  };
}

/**
 * Pauses in Postgres first (a queue workflow started again later reads it there), then tells
 * the running queue, which stops after the run under way; none running is fine.
 */
export async function pauseQueue({ client, pool }: OperatorContext, party: Party): Promise<void> {
  await setPaused(pool, party, true);
  await signalQueueIfRunning(client, party, pauseSignal);
}

/** Resumes in Postgres, then tells the running queue (which also cuts a retry backoff short). */
export async function resumeQueue({ client, pool }: OperatorContext, party: Party): Promise<void> {
  await setPaused(pool, party, false);
  await signalQueueIfRunning(client, party, resumeSignal);
}

export async function resendCdr({ client }: OperatorContext, party: Party, cdrId: string): Promise<ResendResult> {
  return client.workflow.getHandle(cpoQueueWorkflowId(party)).executeUpdate(resendUpdate, { args: [{ cdrId }] });
}
