/** "Where is the CDR of session X?": its workflow and its row, side by side. */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Party } from '../ocpi/party';
import { findCdrBySession, sessionChain, type ChainLink } from '../store/cdr-repo';
import { cdrWorkflowId } from '../../workflows/ids';
import type { OperatorContext } from './operator-context';
import { deliveriesOf } from '../store/delivery-repo';
import { resolutionsOf } from '../store/resolution-repo';
import { describeLanes, partyLanes } from './party-connection';

export interface CdrStatusReport {
  workflowId: string;
  workflowStatus: string;
  /** The party's receivers now (`default (IOP_*)` without a connection of its own). */
  connection: string;
  /** Where the CDR goes and how far it got at each receiver. */
  deliveries: { connection: string; status: string; attempts: number; lastError: string | null; sentAt: string | null }[];
  /** The receivers that hold it (a `rejected` CDR may be held by some: refused by one, taken by another). */
  takenBy: string[];
  /** Deliveries an operator resolved by hand (cdrflow resolve), oldest first. */
  resolutions: {
    connection: string;
    verdict: string;
    note: string | null;
    attempts: number;
    lastError: string | null;
    resolvedAt: string;
  }[];
  cdrId: string | null;
  status: string | null;
  attempts: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  iopLocation: string | null;
  check: string | null;
  validationErrors: string[];
  /** The session's CDRs in the order they were made: its CDR, a credit that cancels it, the re-issue that corrects it. */
  chain: ChainLink[];
}

export async function cdrStatus({ client, pool }: OperatorContext, party: Party, sessionId: string): Promise<CdrStatusReport> {
  const workflowId = cdrWorkflowId(party, sessionId);
  let workflowStatus = 'not found';
  try {
    workflowStatus = (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  const row = await findCdrBySession(pool, party, sessionId);
  const deliveries = row ? await deliveriesOf(pool, row) : [];
  return {
    workflowId,
    workflowStatus,
    connection: describeLanes(await partyLanes(pool, party)),
    deliveries: deliveries.map((delivery) => ({ ...delivery, sentAt: delivery.sentAt?.toISOString() ?? null })),
    takenBy: deliveries.filter((delivery) => delivery.status === 'sent').map((delivery) => delivery.connection),
    resolutions: row
      ? (await resolutionsOf(pool, row)).map((resolution) => ({ ...resolution, resolvedAt: resolution.resolvedAt.toISOString() }))
      : [],
    cdrId: row?.id ?? null,
    status: row?.status ?? null,
    attempts: row?.attempts ?? null,
    lastError: row?.last_error ?? null,
    nextAttemptAt: row?.next_attempt_at?.toISOString() ?? null,
    sentAt: row?.sent_at?.toISOString() ?? null,
    iopLocation: row?.iop_location ?? null,
    check: row?.check_status ? `${row.check_status}: ${row.check_detail ?? ''}` : null,
    validationErrors: row?.validation_errors ?? [],
    chain: await sessionChain(pool, party, sessionId),
  };
}
