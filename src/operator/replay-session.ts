/**
 * Replay a session: rebuild its CDR after a fix (tariff data, builder) and queue it again.
 * Only for a CDR that never reached the IOP (invalid or rejected, or none at all): a CDR
 * that is queued or sent cannot be changed (OCPI 2.1.1 has no credit CDRs).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Party } from '../ocpi/party';
import { originalSessionEnded } from '../temporal/session-workflow-input';
import { startCdr, type StartedCdr } from '../client/start-cdr';
import { deleteUnsentCdr, findCdrBySession } from '../store/cdr-repo';
import { cdrWorkflowId } from '../../workflows/ids';
import type { OperatorContext } from './operator-context';

export class ReplayRefusedError extends Error {
  override readonly name = 'ReplayRefusedError';
}

export async function replaySession(
  context: OperatorContext,
  party: Party,
  sessionId: string,
  correctedInput?: unknown,
): Promise<StartedCdr> {
  const { client, pool } = context;
  // A corrected input for another session would delete this session's CDR and build a different one.
  const named = correctedInput as { party?: Partial<Party>; session?: { id?: unknown } } | undefined;
  if (
    named &&
    (named.party?.country_code !== party.country_code || named.party?.party_id !== party.party_id || named.session?.id !== sessionId)
  ) {
    throw new ReplayRefusedError(`the input must be for ${party.country_code}*${party.party_id} session ${sessionId}`);
  }
  const row = await findCdrBySession(pool, party, sessionId);
  if (row && (row.status === 'queued' || row.status === 'sent')) {
    throw new ReplayRefusedError(`CDR ${row.id} is ${row.status}: a CDR cannot be changed once queued or sent`);
  }
  const handle = client.workflow.getHandle(cdrWorkflowId(party, sessionId));
  let input = correctedInput;
  try {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') {
      throw new ReplayRefusedError(`workflow ${handle.workflowId} is still running: let it finish or terminate it first`);
    }
    input ??= await originalSessionEnded(handle);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  if (input === undefined) throw new ReplayRefusedError(`no workflow for session ${sessionId}: hand it in with session-ended`);

  if (row && (await deleteUnsentCdr(pool, row)) === 'every-receiver-holds-it') {
    throw new ReplayRefusedError(
      `every receiver of ${party.country_code}*${party.party_id} holds CDR ${row.id} already (the one that refused it was removed): nothing to replay`,
    );
  }
  return startCdr(client, input, { taskQueue: context.taskQueue, replay: true });
}
