/**
 * Store and forward against a misbehaving IOP (GIREVE rule 3.4): whatever the IOP does,
 * every CDR is delivered exactly once, in FIFO order per CPO, none missing.
 */
import { findCdr } from '../../src/store/cdr-repo';
import { summarizeQueue } from '../../src/store/queue-repo';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { CdrDeliveryStatus } from '../../workflows/search-attributes';
import { queueStatusQuery, pauseSignal, resumeSignal, resendUpdate } from '../../workflows/definitions';
import { expectDeliveredOnceInOrder, handIn, partyOfWorkflow, resultsOf, simulatedSessions } from '../support/sessions';
import { usePipeline, randomParty, waitFor } from '../support/temporal';

const suite = usePipeline();

beforeEach(() =>
  suite.pipeline.iop.control({
    behaviour: 'accept',
    failNext: 0,
    rejectIds: [],
    failOperators: [],
    latencyMs: 0,
    alterOnCheck: false,
    checkBehaviour: 'normal',
    refuseDuplicates: false,
  }),
);

const queueHandle = (party: { country_code: string; party_id: string }) =>
  suite.pipeline.client.workflow.getHandle(cpoQueueWorkflowId(party));
/** The queue as its system of record (Postgres) holds it. */
const queueDepth = async (party: { country_code: string; party_id: string }) => (await summarizeQueue(suite.db.pool, party)).depth;

test('an IOP that drops connections for a while, then recovers, gets every CDR once and in order', async () => {
  suite.pipeline.iop.control({ failNext: 5, failNextBehaviour: 'drop' });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(4, 'drop'));
  expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual(Array(4).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
});

test('a POST that timed out after the IOP stored the CDR is not sent twice', async () => {
  suite.pipeline.iop.control({ failNext: 1, failNextBehaviour: 'store-then-timeout' });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, 'unknown-outcome'));
  expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual(Array(3).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
  const head = await findCdr(suite.db.pool, { ...partyOfWorkflow(started[0]!.workflowId), id: started[0]!.cdrId });
  expect(head?.status).toBe('sent');
  expect(head?.attempts).toBe(2);
});

// As an OCPI 2.1.1 receiver built on a third-party Python library answered: a CDR read by
// id comes back as a one-element list, and a second create of an id is refused (OCPI 3000).
test('a receiver that answers the check with a one-element list and refuses duplicates: held after a timeout, checked back as a match', async () => {
  suite.pipeline.iop.control({ failNext: 1, failNextBehaviour: 'store-then-timeout', checkBehaviour: 'listData', refuseDuplicates: true });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, 'list-check'));
  const results = await resultsOf(suite.pipeline.client, started);
  expect(results).toEqual(
    started.map((one) => expect.objectContaining({ status: 'delivered', cdrId: one.cdrId, check: expect.stringMatching(/^match/) })),
  );
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
  const head = await findCdr(suite.db.pool, { ...partyOfWorkflow(started[0]!.workflowId), id: started[0]!.cdrId });
  expect(head).toMatchObject({ status: 'sent', attempts: 2, check_status: 'match' });
});

test('a head whose re-POSTs keep failing is looked up at the IOP before each retry: held there, it is delivered', async () => {
  // The receiver stored the CDR but answered 500, then refuses every re-POST of its id.
  suite.pipeline.iop.control({ failNext: 1, failNextBehaviour: 'store-then-500', refuseDuplicates: true });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, 'refused-again'));
  expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual(Array(3).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
  const head = await findCdr(suite.db.pool, { ...partyOfWorkflow(started[0]!.workflowId), id: started[0]!.cdrId });
  // The first POST (500), one re-POST refused as a duplicate, then found at the IOP.
  expect(head).toMatchObject({ status: 'sent', attempts: 3 });
});

test('an IOP answering OCPI 3000 or refusing our token keeps the head, with a credentials alert for operators', async () => {
  suite.pipeline.iop.control({ behaviour: 'unauthorized' });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'token'));
  const key = { ...partyOfWorkflow(started[0]!.workflowId), id: started[0]!.cdrId };
  const failing = await waitFor('a recorded failed attempt', async () => {
    const row = await findCdr(suite.db.pool, key);
    return row && row.attempts >= 2 ? row : undefined;
  });
  expect(failing.status).toBe('queued');
  expect(failing.last_error).toMatch(/credentials alert/);
  expect(failing.next_attempt_at).toBeInstanceOf(Date);
  suite.pipeline.iop.control({ behaviour: 'ocpi3000' });
  await waitFor('an OCPI 3000 attempt', async () =>
    (await findCdr(suite.db.pool, key))?.last_error?.includes('OCPI 3000') ? true : undefined,
  );
  suite.pipeline.iop.control({ behaviour: 'accept' });
  expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual(['delivered', 'delivered']);
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
});

test("one CPO's outage does not delay another CPO's CDRs", async () => {
  const down = randomParty();
  const up = randomParty();
  suite.pipeline.iop.control({ failOperators: [`${down.country_code}*${down.party_id}`] });
  const stuck = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, 'down', down));
  const flowing = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, 'up', up));
  expect((await resultsOf(suite.pipeline.client, flowing)).map((r) => r.status)).toEqual(Array(3).fill('delivered'));
  const stuckStatus = await queueHandle(down).query(queueStatusQuery);
  expect(await queueDepth(down)).toBe(3);
  expect(stuckStatus.head?.cdrId).toBe(stuck[0]!.cdrId);
  expect(stuckStatus.headAttempts).toBeGreaterThan(0);
  suite.pipeline.iop.control({ failOperators: [] });
  expect((await resultsOf(suite.pipeline.client, stuck)).map((r) => r.status)).toEqual(Array(3).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, stuck);
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, flowing);
});

test('the queue query shows head, activity and current error; pause holds delivery and resume drains', async () => {
  const party = randomParty();
  suite.pipeline.iop.control({ behaviour: 'http500' });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(3, 'query', party));
  const status = await waitFor('a failed head attempt', async () => {
    const current = await queueHandle(party).query(queueStatusQuery);
    return current.headAttempts > 0 && (await queueDepth(party)) === 3 ? current : undefined;
  });
  expect(status.head?.cdrId).toBe(started[0]!.cdrId);
  expect(status.activity).toBe('retrying');
  expect(status.headLastError).toMatch(/HTTP 500/);
  const summary = await summarizeQueue(suite.db.pool, party);
  expect(summary.headCdrId).toBe(started[0]!.cdrId);
  expect(summary.oldestEnqueuedAt!.getTime()).toBeLessThanOrEqual(Date.now());

  await queueHandle(party).signal(pauseSignal);
  await waitFor('the pause', async () => ((await queueHandle(party).query(queueStatusQuery)).paused ? true : undefined));
  suite.pipeline.iop.control({ behaviour: 'accept' });
  const postsWhilePaused = suite.pipeline.iop.postCount();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(suite.pipeline.iop.postCount()).toBeLessThanOrEqual(postsWhilePaused + 1); // at most the attempt already under way
  expect(await queueDepth(party)).toBeGreaterThanOrEqual(2);
  expect((await queueHandle(party).query(queueStatusQuery)).activity).toBe('paused');

  await queueHandle(party).signal(resumeSignal);
  expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual(Array(3).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
});

test('an operator re-sends a rejected CDR after a fix; it goes to the tail of the queue', async () => {
  const party = randomParty();
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'resend', party));
  suite.pipeline.iop.control({ rejectIds: [started[0]!.cdrId] });
  expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual(['rejected', 'delivered']);

  suite.pipeline.iop.control({ rejectIds: [] });
  const notRejected = await queueHandle(party).executeUpdate(resendUpdate, { args: [{ cdrId: started[1]!.cdrId }] });
  expect(notRejected).toEqual({
    requeued: false,
    reason: 'only a rejected CDR, or a sent one the IOP no longer has (and no credit CDR cancels), can be re-sent',
  });
  expect(await queueHandle(party).executeUpdate(resendUpdate, { args: [{ cdrId: started[0]!.cdrId }] })).toMatchObject({
    requeued: true,
  });
  const key = { ...party, id: started[0]!.cdrId };
  await waitFor('the re-sent CDR to be delivered', async () => ((await findCdr(suite.db.pool, key))?.status === 'sent' ? true : undefined));
  // The session workflow an operator looks at follows the CDR to its new outcome.
  await waitFor('the session workflow to report the delivery', async () => {
    const result = await resultsOf(suite.pipeline.client, [started[0]!]);
    return result[0]?.status === 'delivered' ? true : undefined;
  });
  const arrived = suite.pipeline.iop.received.map((r) => r.id).filter((id) => started.some((s) => s.cdrId === id));
  expect(arrived).toEqual([started[1]!.cdrId, started[0]!.cdrId]);
});

test('an answer that one CDR causes (a body limit, a redirect, an unknown location) parks that CDR as rejected: the lane goes on', async () => {
  const party = randomParty();
  // Nothing is taken until each CDR's answer is set.
  suite.pipeline.iop.control({ behaviour: 'http500' });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(5, 'one-cdr-answers', party));
  const [first, large, moved, unlocated, last] = started.map((one) => one.cdrId) as [string, string, string, string, string];
  suite.pipeline.iop.control({
    behaviour: 'accept',
    behaviourOfIds: { [large]: 'http413', [moved]: 'redirect', [unlocated]: 'unknown-location' },
  });
  try {
    expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual([
      'delivered',
      'rejected',
      'rejected',
      'rejected',
      'delivered',
    ]);
    const reasonOf = async (id: string) => (await findCdr(suite.db.pool, { ...party, id }))?.last_error;
    expect(await reasonOf(large)).toMatch(/HTTP 413: the CDR is larger than/);
    expect(await reasonOf(moved)).toMatch(/HTTP 308: a redirect to http:\/\/127\.0\.0\.1:\d+\/moved\//);
    expect(await reasonOf(unlocated)).toMatch(/HTTP 404, OCPI 2003 unknown location/);
    expect(suite.pipeline.iop.received.map((r) => r.id).filter((id) => started.some((one) => one.cdrId === id))).toEqual([first, last]);

    // Visible and resendable: once the receiver takes it, the CDR goes out at the tail.
    suite.pipeline.iop.control({ behaviourOfIds: {} });
    expect(await queueHandle(party).executeUpdate(resendUpdate, { args: [{ cdrId: large }] })).toMatchObject({ requeued: true });
    const key = { ...party, id: large };
    await waitFor('the re-sent CDR to be delivered', async () =>
      (await findCdr(suite.db.pool, key))?.status === 'sent' ? true : undefined,
    );
    expect(suite.pipeline.iop.received.filter((r) => r.id === large)).toHaveLength(1);
  } finally {
    suite.pipeline.iop.control({ behaviourOfIds: {} });
  }
});

test('the queue continues as new without losing a signal or its order', async () => {
  const party = randomParty();
  suite.pipeline.iop.control({ latencyMs: 20 });
  const started = await handIn(
    suite.pipeline.client,
    suite.pipeline.taskQueue,
    simulatedSessions(25, 'continue', party),
    // Small runs: the queue looks at its history between runs, so it hands over several times.
    { headStorePatienceMs: 1_000, continueAsNewAfterEvents: 40, deliveryBatchSize: 3 },
  );
  expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual(Array(25).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
  const runs = [];
  for await (const run of suite.pipeline.client.workflow.list({ query: `WorkflowId = '${cpoQueueWorkflowId(party)}'` })) runs.push(run);
  expect(runs.length).toBeGreaterThan(2);
  // A late duplicate hand-in after several hand-overs still makes no second CDR.
  await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'continue', party));
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await queueDepth(party)).toBe(0);
  expect(suite.pipeline.iop.received.filter((r) => r.id === started[0]!.cdrId)).toHaveLength(1);
});

test('a CDR the IOP holds differently from what was sent is recorded as a check mismatch and surfaced', async () => {
  suite.pipeline.iop.control({ alterOnCheck: true });
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'mismatch'));
  const [result] = await resultsOf(suite.pipeline.client, started);
  expect(result).toMatchObject({ status: 'delivered', check: 'mismatch: differs at total_cost' });
  const row = await findCdr(suite.db.pool, { ...partyOfWorkflow(started[0]!.workflowId), id: started[0]!.cdrId });
  expect(row).toMatchObject({ status: 'sent', check_status: 'mismatch', check_detail: 'differs at total_cost' });
  const description = await suite.pipeline.client.workflow.getHandle(started[0]!.workflowId).describe();
  expect(description.typedSearchAttributes.get(CdrDeliveryStatus)).toBe('sent-check-mismatch');
});

test('a waiting queue hands over to new runs carrying no list of CDRs: its order stays in Postgres', async () => {
  const party = randomParty();
  suite.pipeline.iop.control({ behaviour: 'http500' });
  const settings = { headStorePatienceMs: 1_000, continueAsNewAfterEvents: 40 };
  const sessions = simulatedSessions(12, 'handover', party);
  const queue = queueHandle(party);
  const runs = async () => {
    const found = [];
    for await (const run of suite.pipeline.client.workflow.list({ query: `WorkflowId = '${cpoQueueWorkflowId(party)}'` })) found.push(run);
    return found;
  };
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, sessions.slice(0, 8), settings);
  await waitFor('a first hand-over', async () => ((await runs()).length >= 2 ? true : undefined), 60_000);
  // These arrive while the queue keeps handing over: some may meet a hand-over under way.
  started.push(...(await handIn(suite.pipeline.client, suite.pipeline.taskQueue, sessions.slice(8), settings)));
  await waitFor(
    'more hand-overs with the whole queue waiting',
    async () => {
      return (await runs()).length >= 4 && (await queueDepth(party)) === 12 ? true : undefined;
    },
    60_000,
  );
  // What a run hands to the next is a few hundred bytes, however long the queue.
  const latest = await queue.fetchHistory();
  const input = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  expect(input?.length).toBeLessThan(1_000);
  expect(JSON.parse(Buffer.from(input!).toString('utf8'))).toMatchObject({ pendingHandIns: [] });

  suite.pipeline.iop.control({ behaviour: 'accept' });
  expect((await resultsOf(suite.pipeline.client, started)).map((r) => r.status)).toEqual(Array(12).fill('delivered'));
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, started);
  expect(await queueDepth(party)).toBe(0);
});
