/**
 * A POST whose outcome is unknown, then checks that answer nothing clear (a receiver without
 * a usable GET by id): the lane holds, as it must (a re-POST could duplicate). An operator
 * who knows better settles it with `cdrflow resolve`, and the lane goes on, every CDR once.
 */
import { findCdr } from '../../src/store/cdr-repo';
import { operatorId } from '../../src/ocpi/party';
import { runCli } from '../support/cli';
import { expectDeliveredOnceInOrder, handIn, resultsOf, simulatedSessions } from '../support/sessions';
import { randomParty, usePipeline, waitFor } from '../support/temporal';

const suite = usePipeline();

beforeEach(() => suite.pipeline.iop.control({ behaviour: 'accept', failNext: 0, checkBehaviour: 'normal' }));

const cli = (...args: string[]) =>
  runCli(args, {
    DATABASE_URL: suite.db.url,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: suite.pipeline.taskQueue,
  });

/** Hands in 3 CDRs whose first POST meets `firstPost`, while every check answers 500; waits until the head is stuck on it. */
async function stuckHead(label: string, firstPost: 'store-then-timeout' | 'timeout') {
  const party = randomParty();
  suite.pipeline.iop.control({ failNext: 1, failNextBehaviour: firstPost, checkBehaviour: 'http500' });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, label, party));
  const head = { ...party, id: started[0]!.cdrId };
  await waitFor('the head to be held by unclear checks', async () => {
    const row = await findCdr(suite.db.pool, head);
    return row?.last_error?.includes('not re-sent yet') && suite.pipeline.iop.checkCount() > 0 ? true : undefined;
  });
  // Held: nothing behind it went out.
  expect(suite.pipeline.iop.received.filter((r) => started.slice(1).some((one) => one.cdrId === r.id))).toEqual([]);
  return { party, started, head };
}

test('--held: the receiver has the CDR, it is recorded sent and the lane goes on, nothing POSTed twice', async () => {
  const { party, started, head } = await stuckHead('resolve-held', 'store-then-timeout');
  const sessionId = 'resolve-held-0'; // simulatedSessions numbers its sessions
  const resolved = await cli('resolve', operatorId(party), head.id, '--held', '--note', 'seen in the eMSP back office', '--json');
  expect(resolved.stderr).toBe('');
  expect(JSON.parse(resolved.stdout)).toEqual({ cdrId: head.id, connection: 'default', verdict: 'held', cdrStatus: 'sent' });

  expect((await resultsOf(suite.pipeline.client, started)).map((result) => result.status)).toEqual(Array(3).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);

  const status = JSON.parse((await cli('status', operatorId(party), sessionId, '--json')).stdout) as {
    resolutions: { verdict: string; note: string; lastError: string }[];
  };
  expect(status.resolutions).toEqual([
    expect.objectContaining({
      verdict: 'held',
      note: 'seen in the eMSP back office',
      lastError: expect.stringContaining('not re-sent yet'),
    }),
  ]);
  const queue = JSON.parse((await cli('queue', operatorId(party), '--json')).stdout) as { resolvedByOperator: Record<string, number> };
  expect(queue.resolvedByOperator).toEqual({ held: 1, 'not-held': 0 });

  // Sent now: "not held" would re-POST a CDR the receiver took.
  const refused = await cli('resolve', operatorId(party), head.id, '--connection', 'default', '--not-held');
  expect(refused.code).toBe(1);
  expect(refused.stderr + refused.stdout).toMatch(/is recorded sent to default: the receiver took it/);
});

test('--not-held: the receiver never got it, it is POSTed again without asking, once', async () => {
  const { party, started, head } = await stuckHead('resolve-not-held', 'timeout');
  const resolved = await cli('resolve', operatorId(party), head.id, '--not-held');
  expect(resolved.stderr).toBe('');
  expect(resolved.stdout).toMatch(/will be POSTed to default again at once/);

  expect((await resultsOf(suite.pipeline.client, started)).map((result) => result.status)).toEqual(Array(3).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
});

test('resolve names the rule it needs: exactly one verdict, a CDR that waits', async () => {
  const party = randomParty();
  const none = await cli('resolve', operatorId(party), 'no-such-cdr', '--held', '--not-held');
  expect(none.code).toBe(1);
  expect(none.stderr).toMatch(/give exactly one of --held or --not-held/);
  const unknown = await cli('resolve', operatorId(party), 'no-such-cdr', '--held');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr + unknown.stdout).toMatch(/waits for no receiver: nothing to resolve/);
});
