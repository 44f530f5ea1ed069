/**
 * A pause is kept in Postgres: a queue workflow terminated, repaired or started again by a
 * hand-in is still paused, until `cdrflow resume` (or a resume signal) ends the pause.
 */
import { findCdr } from '../../src/store/cdr-repo';
import { pausedSince } from '../../src/store/pause-repo';
import { operatorId } from '../../src/ocpi/party';
import { pauseSignal, queueStatusQuery, resumeSignal } from '../../workflows/definitions';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { runCli } from '../support/cli';
import { expectDeliveredOnceInOrder, handIn, resultsOf, simulatedSessions } from '../support/sessions';
import { randomParty, usePipeline, waitFor } from '../support/temporal';

// The worker looks for lost queues every second here: a repair restart happens within the test.
const suite = usePipeline({ queueRepairEveryMs: 1_000 });

const cliEnv = () => ({
  DATABASE_URL: suite.db.url,
  TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
  TEMPORAL_TASK_QUEUE: suite.pipeline.taskQueue,
});
const queueOf = (party: { country_code: string; party_id: string }) => suite.pipeline.client.workflow.getHandle(cpoQueueWorkflowId(party));
const receivedOf = (started: { cdrId: string }[]) =>
  suite.pipeline.iop.received.filter((received) => started.some((one) => one.cdrId === received.id));

/** Terminates the party's queue, hands sessions in (which starts it again) and waits until they are stored and held. */
async function terminateAndHandIn(party: { country_code: string; party_id: string }, label: string) {
  await queueOf(party).terminate('test: an operator terminates the queue');
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, label, party));
  await waitFor('every CDR stored', async () => {
    const rows = await Promise.all(started.map((one) => findCdr(suite.db.pool, { ...party, id: one.cdrId })));
    return rows.every((row) => row?.status === 'queued') ? true : undefined;
  });
  await waitFor('the new queue run to read the pause', async () =>
    (await queueOf(party).query(queueStatusQuery)).activity === 'paused' ? true : undefined,
  );
  // Runs of the repaired queue have had time to POST, had it not been paused.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(receivedOf(started)).toEqual([]);
  return started;
}

test('`cdrflow pause` outlives a terminated queue workflow: the queue started again stays paused until `cdrflow resume`', async () => {
  const party = randomParty();
  const first = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'before-pause', party));
  expect((await resultsOf(suite.pipeline.client, first)).map((result) => result.status)).toEqual(['delivered']);

  const paused = await runCli(['pause', operatorId(party)], cliEnv());
  expect(paused.stderr).toBe('');
  expect(paused.code).toBe(0);
  const held = await terminateAndHandIn(party, 'paused-cli');
  const report = await runCli(['queue', operatorId(party), '--json'], cliEnv());
  expect(JSON.parse(report.stdout)).toMatchObject({ paused: true, depth: 3 });

  expect((await runCli(['resume', operatorId(party)], cliEnv())).code).toBe(0);
  expect((await resultsOf(suite.pipeline.client, held)).map((result) => result.status)).toEqual(Array(3).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, held);
  expect(await pausedSince(suite.db.pool, party)).toBeNull();
});

test('a pause signalled from the Temporal UI is written to Postgres too, and a resume signal ends it', async () => {
  const party = randomParty();
  const first = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'before-signal', party));
  expect((await resultsOf(suite.pipeline.client, first)).map((result) => result.status)).toEqual(['delivered']);

  await queueOf(party).signal(pauseSignal);
  await waitFor('the pause written', async () => ((await pausedSince(suite.db.pool, party)) ? true : undefined));
  const held = await terminateAndHandIn(party, 'paused-signal');

  await queueOf(party).signal(resumeSignal);
  expect((await resultsOf(suite.pipeline.client, held)).map((result) => result.status)).toEqual(Array(3).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, held);
  await waitFor('the resume written', async () => ((await pausedSince(suite.db.pool, party)) === null ? true : undefined));
});
