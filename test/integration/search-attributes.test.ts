/**
 * Operators find workflows in the Temporal UI by search attributes: each one is set on
 * real workflows and answers a visibility query.
 */
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { handIn, resultsOf, simulatedSessions } from '../support/sessions';
import { usePipeline, randomParty, waitFor } from '../support/temporal';

const suite = usePipeline();

async function workflowIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of suite.pipeline.client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids.sort();
}

/** Visibility is eventually consistent: wait until the query finds what it should. */
const expectFound = (query: string, expected: string[]) =>
  waitFor(
    `"${query}" to find ${expected.join(', ')}`,
    async () => {
      const found = await workflowIds(query);
      return JSON.stringify(found) === JSON.stringify([...expected].sort()) ? found : undefined;
    },
    20_000,
  );

test('every CDR workflow can be found by operator, session, CDR id, delivery status, attempts and IOP', async () => {
  const party = randomParty();
  const operator = `${party.country_code}*${party.party_id}`;
  suite.pipeline.iop.control({ failNext: 2, failNextBehaviour: 'http500' });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, 'search', party));
  await resultsOf(suite.pipeline.client, started);
  const sessionWorkflows = started.map((s) => s.workflowId);
  const [first, second] = started;

  await expectFound(`CdrOperatorId = "${operator}" AND WorkflowType = "cdrSessionWorkflow"`, sessionWorkflows);
  await expectFound(`CdrSessionId = "search-1"  AND CdrOperatorId = "${operator}"`, [second!.workflowId]);
  await expectFound(`CdrId = "${first!.cdrId}"`, [first!.workflowId]);
  await expectFound(`CdrOperatorId = "${operator}" AND CdrDeliveryStatus = "sent"`, sessionWorkflows);
  await expectFound(`CdrOperatorId = "${operator}" AND CdrAttempts = 3`, [first!.workflowId]);
  await expectFound(
    `CdrOperatorId = "${operator}" AND CdrIop = "${new URL(suite.pipeline.iop.cdrsUrl).host}" AND WorkflowType = "cdrSessionWorkflow"`,
    sessionWorkflows,
  );
  await expectFound(`WorkflowType = "cpoQueueWorkflow" AND CdrOperatorId = "${operator}" AND CdrDeliveryStatus = "idle"`, [
    cpoQueueWorkflowId(party),
  ]);
});
