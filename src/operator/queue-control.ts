/** "Why is CPO Y's queue stuck?" and what an operator does about it. */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Party } from '../ocpi/party';
import { countCdrsByStatus } from '../store/cdr-listing';
import { laneDepths, summarizeQueue } from '../store/queue-repo';
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
        depth: depths.get(name) ?? 0,
        activity: loop?.activity ?? null,
        head: loop?.head?.cdrId ?? null,
        headAttempts: loop?.headAttempts ?? 0,
        currentError: loop?.headLastError ?? null,
      };
    }),
    depth: queue.depth,
    paused: status?.paused ?? false,
    head: queue.headCdrId,
    activity: status?.activity ?? null,
    oldestAgeSeconds: queue.oldestEnqueuedAt ? Math.round((now - queue.oldestEnqueuedAt.getTime()) / 1000) : null,
    headAttempts: status?.headAttempts ?? 0,
    currentError: status?.headLastError ?? null,
    storedByStatus: await countCdrsByStatus(pool, party),
  };
}

export async function pauseQueue({ client }: OperatorContext, party: Party): Promise<void> {
  await client.workflow.getHandle(cpoQueueWorkflowId(party)).signal(pauseSignal);
}

export async function resumeQueue({ client }: OperatorContext, party: Party): Promise<void> {
  await client.workflow.getHandle(cpoQueueWorkflowId(party)).signal(resumeSignal);
}

export async function resendCdr({ client }: OperatorContext, party: Party, cdrId: string): Promise<ResendResult> {
  return client.workflow.getHandle(cpoQueueWorkflowId(party)).executeUpdate(resendUpdate, { args: [{ cdrId }] });
}
