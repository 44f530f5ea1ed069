/**
 * Rebuilds lost queue workflows from Postgres, the queues' system of record: a queue
 * workflow terminated or reset by hand, or gone with the Temporal cluster's state. For
 * every party with a queue in Postgres (or the one asked for) whose queue workflow is not
 * running, the workflow is started again (and, starting afresh, adopts the CDRs stored
 * `queued` without a queue entry, in stored order); a running one is told to look at
 * Postgres again if asked.
 * Safe at any time: it adds nothing twice and changes no order; a rebuilt queue asks the
 * IOP about any CDR whose POST may have been on the wire, and waits out another run's claim.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { operatorId, type Party } from '../ocpi/party';
import { partiesWithQueues } from '../store/queue-repo';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { signalWake } from './queue-signals';

export interface RecoveredQueue {
  /** eMI3 operator id: FR*ABC. */
  operator: string;
  /** running: its workflow was there (told to look again); restarted: it was not. */
  workflow: 'running' | 'restarted';
}

export async function recoverQueues(
  deps: { client: Client; pool: Pool; taskQueue: string },
  options: {
    party?: Party;
    /** Also nudge queue workflows that are running (an operator's `recover`); the periodic repair leaves them be. */
    wakeRunning?: boolean;
  } = {},
): Promise<RecoveredQueue[]> {
  const recovered: RecoveredQueue[] = [];
  for (const party of await partiesWithQueues(deps.pool, options.party)) {
    const running = await isRunning(deps.client, party);
    if (running && !options.wakeRunning) continue;
    // A queue started again adopts the CDRs stored without a place (see recordHandIns).
    await signalWake(deps.client, deps.taskQueue, party);
    recovered.push({ operator: operatorId(party), workflow: running ? 'running' : 'restarted' });
  }
  return recovered;
}

async function isRunning(client: Client, party: Party): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(cpoQueueWorkflowId(party)).describe();
    return description.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
