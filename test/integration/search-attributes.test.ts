/**
 * Operators find workflows in the Temporal UI by search attributes: each one is set on
 * real workflows and answers a visibility query.
 */
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { handIn, resultsOf, simulatedSessions } from '../support/sessions';
import { bundleWorkflows, randomParty, startTestPipeline, waitFor, type TestPipeline } from '../support/temporal';

let db: TestDatabase;
let bundle: WorkflowBundleWithSourceMap;
let pipeline: TestPipeline;
beforeAll(async () => {
  [db, bundle] = await Promise.all([createTestDatabase(), bundleWorkflows()]);
  pipeline = await startTestPipeline({ pool: db.pool, bundle });
});
afterAll(async () => {
  await pipeline?.stop();
  await db?.drop();
});

async function workflowIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of pipeline.client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids.sort();
}

/** Visibility is eventually consistent: wait until the query finds what it should. */
const expectFound = (query: string, expected: string[]) =>
  waitFor(`"${query}" to find ${expected.join(', ')}`, async () => {
    const found = await workflowIds(query);
    return JSON.stringify(found) === JSON.stringify([...expected].sort()) ? found : undefined;
  }, 20_000);

test('every CDR workflow can be found by operator, session, CDR id, delivery status, attempts and IOP', async () => {
  const party = randomParty();
  const operator = `${party.country_code}*${party.party_id}`;
  pipeline.iop.control({ failNext: 2, failNextBehaviour: 'http500' });
  const started = await handIn(pipeline.client, pipeline.taskQueue, simulatedSessions(3, 'search', party));
  await resultsOf(pipeline.client, started);
  const sessionWorkflows = started.map((s) => s.workflowId);
  const [first, second] = started;

  await expectFound(`CdrOperatorId = "${operator}" AND WorkflowType = "cdrSessionWorkflow"`, sessionWorkflows);
  await expectFound(`CdrSessionId = "search-1"  AND CdrOperatorId = "${operator}"`, [second!.workflowId]);
  await expectFound(`CdrId = "${first!.cdrId}"`, [first!.workflowId]);
  await expectFound(`CdrOperatorId = "${operator}" AND CdrDeliveryStatus = "sent"`, sessionWorkflows);
  await expectFound(`CdrOperatorId = "${operator}" AND CdrAttempts = 3`, [first!.workflowId]);
  await expectFound(`CdrOperatorId = "${operator}" AND CdrIop = "${new URL(pipeline.iop.cdrsUrl).host}" AND WorkflowType = "cdrSessionWorkflow"`, sessionWorkflows);
  await expectFound(`WorkflowType = "cpoQueueWorkflow" AND CdrOperatorId = "${operator}" AND CdrDeliveryStatus = "idle"`, [cpoQueueWorkflowId(party)]);
});
