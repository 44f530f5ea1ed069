/**
 * Runs a session's CDR workflow again on its original input, when its last run has ended:
 * after it was terminated before storing its CDR, or when an operator re-sends its
 * rejected CDR (so the workflow operators look at follows the CDR to its new outcome).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Party } from '../ocpi/party';
import { cdrWorkflowId } from '../../workflows/ids';
import { originalSessionEnded } from './session-workflow-input';

export type RestartOutcome = 'restarted' | 'running' | 'not-found' | 'no-input';

export async function restartSessionWorkflow(client: Client, taskQueue: string, party: Party, sessionId: string): Promise<RestartOutcome> {
  const handle = client.workflow.getHandle(cdrWorkflowId(party, sessionId));
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'not-found';
    throw error;
  }
  if (description.status.name === 'RUNNING') return 'running';
  const sessionEnded = await originalSessionEnded(handle);
  if (sessionEnded === undefined) return 'no-input';
  await client.workflow.start('cdrSessionWorkflow', {
    taskQueue,
    workflowId: handle.workflowId,
    args: [sessionEnded],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: description.typedSearchAttributes,
  });
  return 'restarted';
}
