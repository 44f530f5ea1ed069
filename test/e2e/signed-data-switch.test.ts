/**
 * GIREVE's Eichrecht extension: signed_data reaches the IOP only when the CPO switched it
 * on (after GIREVE's certification); otherwise the CDR goes without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { SessionEndedInput } from '../../src/cdr/session/session-ended';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { handIn, resultsOf } from '../support/sessions';
import { bundleWorkflows, randomParty, startTestPipeline } from '../support/temporal';

let db: TestDatabase;
let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  [db, bundle] = await Promise.all([createTestDatabase(), bundleWorkflows()]);
});
afterAll(() => db?.drop());

/** The Eichrecht vector, moved to a party of this test (evse_id follows the operator id). */
function signedSession(sessionId: string): SessionEndedInput {
  const vector = JSON.parse(
    readFileSync(join(__dirname, '..', 'vectors', 'signed-data-eichrecht', 'session-ended.json'), 'utf8'),
  ) as SessionEndedInput;
  const party = randomParty();
  const text = JSON.stringify(vector)
    .split(`${vector.party.country_code}*${vector.party.party_id}*`)
    .join(`${party.country_code}*${party.party_id}*`);
  const moved = JSON.parse(text) as SessionEndedInput;
  return { ...moved, party, session: { ...moved.session, id: sessionId } };
}

test.each([
  [false, 'without'],
  [true, 'with'],
])('with CDR_SEND_SIGNED_DATA=%s the IOP receives the CDR %s signed_data', async (sendSignedData) => {
  const pipeline = await startTestPipeline({ pool: db.pool, bundle, sendSignedData });
  try {
    const input = signedSession(`eichrecht-${sendSignedData}`);
    expect(input.signed_data).toBeDefined();
    const started = await handIn(pipeline.client, pipeline.taskQueue, [input]);
    expect((await resultsOf(pipeline.client, started)).map((r) => r.status)).toEqual(['delivered']);
    const received = pipeline.iop.received.find((r) => r.id === started[0]!.cdrId)!;
    if (sendSignedData) expect(received.cdr.signed_data).toEqual(input.signed_data);
    else expect(received.cdr).not.toHaveProperty('signed_data');
  } finally {
    await pipeline.stop();
  }
});
