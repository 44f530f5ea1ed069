/**
 * The queue's POST activity on its own, against real Postgres and a mock IOP: the head
 * read from the store, the claims that keep two runs (or a dead one) from POSTing a CDR
 * twice, and the check at the IOP before anything is POSTed again. Each call runs in the
 * SDK's MockActivityEnvironment, as the worker would run it (context, heartbeats, cancellation).
 */
import { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createDeliveryActivities, type DeliveryActivityDeps } from '../../activities/delivery-activities';
import { createQueueActivities } from '../../activities/queue-activities';
import { latestPostStartMs, postClaimLeaseMs } from '../../src/delivery/claim-lease';
import { singleReceiverRouter } from '../../src/delivery/receiver-router';
import type { DeliverRequest, DeliverRun } from '../../workflows/definitions';
import type { MockCheckBehaviour } from '../../src/dev/mock-iop';
import { findCdr, insertCdr } from '../../src/store/cdr-repo';
import { recordHandIns } from '../../src/store/queue-repo';
import { deliveryRow, markSent, readQueueHead } from '../support/deliveries';
import { useStack } from '../support/stack';

const REQUEST_TIMEOUT_MS = 1_000;
/** An activity's context as the worker gives it; its failures are the tests' to assert, not to print. */
const activityEnvironment = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN', () => undefined) });
const stack = useStack({ iopClient: { requestTimeoutMs: REQUEST_TIMEOUT_MS } });
let partyCount = 0;

beforeEach(() => stack.mockIop.control({ behaviour: 'accept', failNext: 0, latencyMs: 0, checkBehaviour: 'normal', rejectIds: [] }));

/** Each test its own party, so queues never meet. */
function newParty() {
  return { country_code: 'FR', party_id: `D${String(partyCount++).padStart(2, '0')}` };
}

/** The activities as the worker builds them; `environment` is the activity's context (cancel it to cancel the run). */
function activities(overrides: Partial<DeliveryActivityDeps> = {}, environment = activityEnvironment()) {
  const router = singleReceiverRouter(stack.iopClient);
  const delivery = createDeliveryActivities({
    pool: stack.db.pool,
    router,
    retry: { initialMs: 10, maxMs: 10 },
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    checkSettleMs: 0,
    ...overrides,
  });
  // recordHandIns never reaches Temporal: a lazy client that never connects.
  const queue = createQueueActivities({ pool: stack.db.pool, router, temporal: new Client(), taskQueue: 'unused' });
  return {
    deliverCdrs: (request: DeliverRequest): Promise<DeliverRun> => inContext(environment, () => delivery.deliverCdrs(request)),
    recordHandIns: (input: Parameters<typeof queue.recordHandIns>[0]) => inContext(environment, () => queue.recordHandIns(input)),
  };
}

/** Runs one activity call in the mock environment's context (its result typed as the call's). */
function inContext<R>(environment: MockActivityEnvironment, call: () => Promise<R>): Promise<R> {
  return environment.run<[], R, () => Promise<R>>(call);
}

const request = (party: ReturnType<typeof newParty>, extra: Partial<DeliverRequest> = {}): DeliverRequest => ({
  party,
  reported: [],
  maxPosts: 20,
  head: null,
  ...extra,
});

/** Hands the CDRs in and stores them (queued), as the session workflows would. */
async function queued(party: ReturnType<typeof newParty>, ids: string[]): Promise<void> {
  await recordHandIns(
    stack.db.pool,
    party,
    ids.map((id) => ({ cdrId: id, sessionId: `s-${id}`, at: Date.now() })),
  );
  for (const id of ids) {
    await insertCdr(stack.db.pool, {
      ...party,
      id,
      session_id: `s-${id}`,
      cdr: { id, total_cost: 1 },
      last_updated: new Date(),
      status: 'queued',
    });
  }
}

const postsOf = (ids: string[]) => stack.mockIop.received.map((r) => r.id).filter((id) => ids.includes(id));

test('POSTs the stored CDRs at the head in hand-in order; they leave the queue once reported', async () => {
  const party = newParty();
  await queued(party, ['a1', 'a2', 'a3']);
  const run = await activities().deliverCdrs(request(party));
  expect(run.settled.map((s) => [s.cdrId, s.result?.status])).toEqual([
    ['a1', 'delivered'],
    ['a2', 'delivered'],
    ['a3', 'delivered'],
  ]);
  expect(run.end).toEqual({ kind: 'empty' });
  expect(postsOf(['a1', 'a2', 'a3'])).toEqual(['a1', 'a2', 'a3']);
  expect((await readQueueHead(stack.db.pool, party, 10)).map((entry) => entry.status)).toEqual(['sent', 'sent', 'sent']);
  await activities().recordHandIns({ party, handIns: [], reported: ['a1', 'a2', 'a3'] });
  expect(await readQueueHead(stack.db.pool, party, 10)).toEqual([]);
  for (const id of ['a1', 'a2', 'a3']) {
    expect(await deliveryRow(stack.db.pool, { ...party, id })).toMatchObject({ status: 'sent', post_started_at: null, post_owner: null });
  }
});

test('told during the run, session workflows learn each outcome once it is written; told CDRs leave the queue at once', async () => {
  const party = newParty();
  await queued(party, ['tell1', 'tell2', 'tell3']);
  stack.mockIop.control({ rejectIds: ['tell2'] });
  const heard: Array<{ sessionId: string; status: string; stored: string | undefined }> = [];
  const run = await activities({
    sessionNotifier: {
      async tell(_party, sessionId, result) {
        // The outcome is in the store before the session workflow hears of it (its check-back reads the row).
        const stored = (await findCdr(stack.db.pool, { ...party, id: sessionId.slice(2) }))?.status;
        heard.push({ sessionId, status: result.status, stored });
      },
    },
  }).deliverCdrs(request(party));
  // Told concurrently, so in any order.
  heard.sort((a, b) => a.sessionId.localeCompare(b.sessionId));
  expect(heard).toEqual([
    { sessionId: 's-tell1', status: 'delivered', stored: 'sent' },
    { sessionId: 's-tell2', status: 'rejected', stored: 'rejected' },
    { sessionId: 's-tell3', status: 'delivered', stored: 'sent' },
  ]);
  expect([...(run.told ?? [])].sort()).toEqual(['tell1', 'tell2', 'tell3']);
  expect(run.settled.map((settled) => settled.cdrId)).toEqual(['tell1', 'tell2', 'tell3']);
  expect(await readQueueHead(stack.db.pool, party, 10)).toEqual([]);
});

test('a session workflow that could not be told keeps its CDR on the queue for the queue workflow to tell', async () => {
  const party = newParty();
  await queued(party, ['nw1', 'nw2']);
  const run = await activities({
    sessionNotifier: {
      async tell(_party, sessionId) {
        if (sessionId === 's-nw1') throw new Error('Temporal unreachable');
      },
    },
  }).deliverCdrs(request(party));
  expect(run.told).toEqual(['nw2']);
  expect(run.settled.map((settled) => settled.cdrId)).toEqual(['nw1', 'nw2']);
  expect((await readQueueHead(stack.db.pool, party, 10)).map((entry) => [entry.cdrId, entry.status])).toEqual([['nw1', 'sent']]);
});

test('stops at a head whose CDR is not stored yet: nothing overtakes it', async () => {
  const party = newParty();
  await recordHandIns(stack.db.pool, party, [{ cdrId: 'slow', sessionId: 's-slow', at: Date.now() }]);
  await queued(party, ['fast']);
  const run = await activities().deliverCdrs(request(party));
  expect(run.settled).toEqual([]);
  expect(run.end).toMatchObject({ kind: 'waiting-for-store', cdrId: 'slow', sessionId: 's-slow' });
  expect(postsOf(['fast'])).toEqual([]);
});

test('a queue that starts afresh adopts CDRs stored queued without a place before it started, in stored order, ahead of its own hand-ins', async () => {
  const party = newParty();
  await queued(party, ['kept']);
  // Hand-ins a lost run held and never wrote: their CDRs are stored, but have no place.
  for (const id of ['lost1', 'lost2']) {
    await insertCdr(stack.db.pool, { ...party, id, session_id: `s-${id}`, cdr: { id }, last_updated: new Date(), status: 'queued' });
  }
  const runStart = Date.now() + 1_000;
  // Stored after the run started: its hand-in may be on its way to that run, it keeps its place.
  await insertCdr(stack.db.pool, {
    ...party,
    id: 'late',
    session_id: 's-late',
    cdr: { id: 'late' },
    last_updated: new Date(),
    status: 'queued',
  });
  await stack.db.pool.query(`UPDATE cdrs SET created_at = now() + interval '2 seconds' WHERE id = 'late'`);
  await activities().recordHandIns({
    party,
    handIns: [{ cdrId: 'new', sessionId: 's-new', at: Date.now() }],
    reported: [],
    adoptOrphansStoredBefore: runStart,
  });
  expect((await readQueueHead(stack.db.pool, party, 10)).map((entry) => entry.cdrId)).toEqual(['kept', 'lost1', 'lost2', 'new']);
  // Adopting again adds nothing and moves nothing.
  await activities().recordHandIns({ party, handIns: [], reported: [], adoptOrphansStoredBefore: runStart });
  expect((await readQueueHead(stack.db.pool, party, 10)).map((entry) => entry.cdrId)).toEqual(['kept', 'lost1', 'lost2', 'new']);
});

test('a run whose result was lost (its worker died): the next run reports what it settled, without POSTing again', async () => {
  const party = newParty();
  await queued(party, ['r1', 'r2']);
  await activities().deliverCdrs(request(party)); // its result never reaches the workflow
  const before = stack.mockIop.postCount();
  const again = await activities().deliverCdrs(request(party));
  expect(again.settled).toEqual([
    { cdrId: 'r1', sessionId: 's-r1', result: { status: 'delivered', location: null, attempts: 1 } },
    { cdrId: 'r2', sessionId: 's-r2', result: { status: 'delivered', location: null, attempts: 1 } },
  ]);
  expect(stack.mockIop.postCount()).toBe(before);
  const reported = await activities().deliverCdrs(request(party, { reported: ['r1', 'r2'] }));
  expect(reported).toEqual({ settled: [], end: { kind: 'empty' }, connection: 'default', lanes: ['default'] });
  expect(await readQueueHead(stack.db.pool, party, 10)).toEqual([]);
});

test('a CDR settled in the store meanwhile is reported as the store knows it, and not POSTed', async () => {
  const party = newParty();
  await queued(party, ['b1', 'b2']);
  // Sent by an earlier run whose outcome the workflow never heard of.
  await markSent(stack.db.pool, { ...party, id: 'b1' }, 'https://iop.example/b1');
  const before = stack.mockIop.postCount();
  const run = await activities().deliverCdrs(request(party));
  expect(run.settled).toEqual([
    { cdrId: 'b1', sessionId: 's-b1', result: { status: 'delivered', location: 'https://iop.example/b1', attempts: 1 } },
    { cdrId: 'b2', sessionId: 's-b2', result: { status: 'delivered', location: null, attempts: 1 } },
  ]);
  expect(stack.mockIop.postCount()).toBe(before + 1);
});

test('a run interrupted by a crash checks each CDR a dead worker may have sent, even across a failed attempt', async () => {
  const party = newParty();
  const deliver = activities().deliverCdrs;
  await queued(party, ['c1', 'c2', 'c3']);
  // A worker died mid-run, long ago: c2 had reached the IOP, c3 had not; both are claimed by the dead run.
  await stack.iopClient.postCdr({ id: 'c2', total_cost: 1 });
  await stack.db.pool.query(
    `UPDATE deliveries SET post_owner = 'dead-run', post_started_at = now() - interval '1 hour' WHERE party_id = $1 AND cdr_id IN ('c2', 'c3')`,
    [party.party_id],
  );

  stack.mockIop.control({ failNext: 1, failNextBehaviour: 'http500' });
  const failed = await deliver(request(party));
  expect(failed.settled).toEqual([]);
  expect(failed.end).toMatchObject({ kind: 'retry', cdrId: 'c1' });
  for (const id of ['c2', 'c3']) expect((await deliveryRow(stack.db.pool, { ...party, id }))?.post_started_at).toBeInstanceOf(Date);
  expect((await deliveryRow(stack.db.pool, { ...party, id: 'c1' }))?.post_started_at).toBeNull();

  const delivered = await deliver(request(party, { head: { cdrId: 'c1', failedAttempts: 1 } }));
  expect(delivered.settled.map((s) => s.result?.status)).toEqual(['delivered', 'delivered', 'delivered']);
  expect(postsOf(['c1', 'c2', 'c3'])).toEqual(['c2', 'c1', 'c3']);
  for (const id of ['c1', 'c2', 'c3']) {
    expect(await deliveryRow(stack.db.pool, { ...party, id })).toMatchObject({ status: 'sent', post_started_at: null });
  }
});

describe('after a POST whose outcome is unknown', () => {
  /** One CDR POSTed into a timeout: the IOP never answered, and (here) never stored it. */
  async function timedOut(party: ReturnType<typeof newParty>, deps: Partial<DeliveryActivityDeps> = {}) {
    await queued(party, ['u1', 'u2']);
    stack.mockIop.control({ failNext: 1, failNextBehaviour: 'timeout' });
    const run = await activities(deps).deliverCdrs(request(party));
    expect(run.end).toMatchObject({ kind: 'retry', cdrId: 'u1', reason: 'timed out waiting for the IOP' });
    expect((await deliveryRow(stack.db.pool, { ...party, id: 'u1' }))?.post_started_at).toBeInstanceOf(Date);
    return stack.mockIop.postCount();
  }

  test.each<MockCheckBehaviour>(['bare404', 'http429', 'http500', 'unauthorized', 'emptyData', 'timeout'])(
    'a check answered %s is unclear: the CDR is not POSTed again, and stays marked',
    async (checkBehaviour) => {
      const party = newParty();
      const posts = await timedOut(party);
      stack.mockIop.control({ checkBehaviour });
      const checksBefore = stack.mockIop.checkCount();
      for (let attempt = 1; attempt <= 2; attempt++) {
        const run = await activities().deliverCdrs(request(party, { head: { cdrId: 'u1', failedAttempts: attempt } }));
        expect(run.settled).toEqual([]);
        expect(run.end).toMatchObject({ kind: 'retry', cdrId: 'u1' });
      }
      expect(stack.mockIop.checkCount()).toBe(checksBefore + 2);
      expect(stack.mockIop.postCount()).toBe(posts);
      const row = await deliveryRow(stack.db.pool, { ...party, id: 'u1' });
      expect(row).toMatchObject({ status: 'queued', post_owner: null });
      expect(row?.post_started_at).toBeInstanceOf(Date);
      expect(row?.last_error).toMatch(/not re-sent yet/);
    },
  );

  test('a clear "unknown CDR" leads to a new POST only once the earlier POST had time to settle', async () => {
    const party = newParty();
    const settle = { checkSettleMs: 1_500 };
    const posts = await timedOut(party, settle);
    const early = await activities(settle).deliverCdrs(request(party, { head: { cdrId: 'u1', failedAttempts: 1 } }));
    expect(early.end).toMatchObject({ kind: 'retry', cdrId: 'u1', reason: expect.stringMatching(/may still be settling/) });
    expect(stack.mockIop.postCount()).toBe(posts);
    // The wait it asks for covers the rest of the settle delay.
    expect(early.end.kind === 'retry' && early.end.retryAfterMs).toBeGreaterThan(100);

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const late = await activities(settle).deliverCdrs(request(party, { head: { cdrId: 'u1', failedAttempts: 2 } }));
    expect(late.settled.map((s) => s.cdrId)).toEqual(['u1', 'u2']);
    expect(postsOf(['u1', 'u2'])).toEqual(['u1', 'u2']);
  });

  test('a CDR the IOP holds after all is counted delivered without a second POST', async () => {
    const party = newParty();
    await queued(party, ['k1']);
    stack.mockIop.control({ failNext: 1, failNextBehaviour: 'store-then-timeout' });
    await activities().deliverCdrs(request(party));
    const run = await activities().deliverCdrs(request(party, { head: { cdrId: 'k1', failedAttempts: 1 } }));
    expect(run.settled.map((s) => [s.cdrId, s.result?.status])).toEqual([['k1', 'delivered']]);
    expect(postsOf(['k1'])).toEqual(['k1']);
  });
});

test('two runs at the same queue never POST the same CDR: the second waits for the first', async () => {
  const party = newParty();
  const ids = ['o1', 'o2', 'o3', 'o4'];
  await queued(party, ids);
  stack.mockIop.control({ latencyMs: 100 });
  const [first, second] = await Promise.all([
    activities().deliverCdrs(request(party)),
    new Promise((resolve) => setTimeout(resolve, 30)).then(() => activities().deliverCdrs(request(party))),
  ]);
  expect(first.settled.map((s) => s.cdrId)).toEqual(ids);
  expect(second.settled).toEqual([]);
  expect(second.end).toMatchObject({ kind: 'held-elsewhere', cdrId: 'o1' });
  expect(postsOf(ids)).toEqual(ids);
});

test("a live run's claim is never taken over; a dead run's claim is, once its lease lapsed", async () => {
  const party = newParty();
  await queued(party, ['l1']);
  const lease = postClaimLeaseMs(REQUEST_TIMEOUT_MS);
  await stack.db.pool.query(
    `UPDATE deliveries SET post_owner = 'other-run', post_started_at = now() - make_interval(secs => $2) WHERE party_id = $1`,
    [party.party_id, (lease - 5_000) / 1000],
  );
  const held = await activities().deliverCdrs(request(party));
  expect(held.end).toMatchObject({ kind: 'held-elsewhere', cdrId: 'l1' });
  expect(held.end.kind === 'held-elsewhere' && held.end.retryAfterMs).toBeGreaterThanOrEqual(500);
  expect(postsOf(['l1'])).toEqual([]);

  await stack.db.pool.query(`UPDATE deliveries SET post_started_at = post_started_at - interval '10 seconds' WHERE party_id = $1`, [
    party.party_id,
  ]);
  const checksBefore = stack.mockIop.checkCount();
  const taken = await activities().deliverCdrs(request(party));
  expect(taken.settled.map((s) => s.cdrId)).toEqual(['l1']);
  expect(stack.mockIop.checkCount()).toBe(checksBefore + 1); // asked the IOP first: the dead run may have POSTed it
  expect(postsOf(['l1'])).toEqual(['l1']);
});

test("a dead run's lapsed claim: its POST counts as started as late as the stall guard let it, and the settle delay runs from then", async () => {
  const party = newParty();
  await queued(party, ['g1']);
  const lease = postClaimLeaseMs(REQUEST_TIMEOUT_MS);
  // Lapsed a second ago; the dead run may have started its POST up to latestPostStartMs after its claim.
  await stack.db.pool.query(
    `UPDATE deliveries SET post_owner = 'dead-run', post_started_at = now() - make_interval(secs => $2) WHERE party_id = $1`,
    [party.party_id, (lease + 1_000) / 1000],
  );
  const settle = { checkSettleMs: 6_000 };
  const run = await activities(settle).deliverCdrs(request(party));
  // Its POST may have begun 4 s ago (lease + 1 s - latest start): "unknown CDR" is believed 2 s from now.
  const latestStart = latestPostStartMs(lease, REQUEST_TIMEOUT_MS);
  const expectedWait = latestStart + settle.checkSettleMs - (lease + 1_000);
  expect(run.end).toMatchObject({ kind: 'retry', cdrId: 'g1', reason: expect.stringMatching(/may still be settling/) });
  expect(run.end.kind === 'retry' && run.end.retryAfterMs).toBeGreaterThan(expectedWait - 1_000);
  expect(run.end.kind === 'retry' && run.end.retryAfterMs).toBeLessThanOrEqual(expectedWait);
  expect(postsOf(['g1'])).toEqual([]);
});

test('a run that stalled past its claim before a POST does not make it: the CDR keeps its mark for the next run', async () => {
  const party = newParty();
  await queued(party, ['z1']);
  await stack.db.pool.query(`UPDATE deliveries SET post_started_at = now() - interval '1 minute' WHERE party_id = $1`, [party.party_id]);
  // The check takes 700 ms; a claim of 3.5 s leaves 500 ms to start the POST.
  stack.mockIop.control({ latencyMs: 700 });
  const before = stack.mockIop.postCount();
  await expect(activities({ claimLeaseMs: 3_500 }).deliverCdrs(request(party))).rejects.toThrow(/too old to POST safely/);
  expect(stack.mockIop.postCount()).toBe(before);
  expect(await deliveryRow(stack.db.pool, { ...party, id: 'z1' })).toMatchObject({ status: 'queued', post_owner: null });
  expect((await deliveryRow(stack.db.pool, { ...party, id: 'z1' }))?.post_started_at).toBeInstanceOf(Date);
});

test('a run stops POSTing at the first store write that failed, and the next run picks up where the store is', async () => {
  const party = newParty();
  const ids = ['w1', 'w2', 'w3', 'w4', 'w5'];
  await queued(party, ids);
  // The store refuses to record w2 as sent.
  await stack.db.pool.query(`
    CREATE FUNCTION refuse_w2() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.id = 'w2' AND NEW.status = 'sent' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER refuse_w2 BEFORE UPDATE ON cdrs FOR EACH ROW EXECUTE FUNCTION refuse_w2();`);
  stack.mockIop.control({ latencyMs: 50 });
  try {
    await expect(activities().deliverCdrs(request(party))).rejects.toThrow(/disk full/);
    // w3 may have been on the wire when w2's write failed; nothing after it was POSTed.
    expect(postsOf(ids)).toEqual(['w1', 'w2', 'w3']);
  } finally {
    await stack.db.pool.query('DROP TRIGGER refuse_w2 ON cdrs; DROP FUNCTION refuse_w2();');
  }
  // w2 was POSTed but not recorded: it keeps its mark and is found at the IOP, not POSTed again.
  const w2 = await deliveryRow(stack.db.pool, { ...party, id: 'w2' });
  expect(w2).toMatchObject({ status: 'queued', post_owner: null });
  expect(w2?.post_started_at).toBeInstanceOf(Date);
  const run = await activities().deliverCdrs(request(party));
  // w1 and w3 were recorded sent by the failed run, whose result the workflow never got: reported now.
  expect(run.settled.map((s) => s.cdrId)).toEqual(['w1', 'w3', 'w2', 'w4', 'w5']);
  expect(postsOf(ids)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
});

test('a cancelled run aborts its POST on the wire and starts no further one; the next run asks the IOP first', async () => {
  const party = newParty();
  const ids = ['x1', 'x2', 'x3'];
  await queued(party, ids);
  const environment = activityEnvironment();
  stack.mockIop.control({ latencyMs: 100 });
  const running = activities({}, environment).deliverCdrs(request(party));
  setTimeout(() => environment.cancel(), 50);
  await expect(running).rejects.toThrow(/cancelled/);
  // x1's POST was cut at 50 ms, mid-flight: its outcome is unknown, so it keeps its mark.
  const x1 = await deliveryRow(stack.db.pool, { ...party, id: 'x1' });
  expect(x1).toMatchObject({ status: 'queued', post_owner: null });
  expect(x1?.post_started_at).not.toBeNull();
  for (const id of ['x2', 'x3'])
    expect(await deliveryRow(stack.db.pool, { ...party, id })).toMatchObject({ post_owner: null, post_started_at: null });
  await new Promise((resolve) => setTimeout(resolve, 150)); // the IOP still took x1 in
  expect(postsOf(ids)).toEqual(['x1']);

  stack.mockIop.control({ latencyMs: 0 });
  const next = await activities().deliverCdrs(request(party));
  expect(next.settled.map((s) => s.cdrId)).toEqual(ids);
  // x1 was found at the IOP, not POSTed again.
  expect(postsOf(ids)).toEqual(ids);
});

test('the claim taken ahead for the next CDR is released unmarked when the run stops before it', async () => {
  const party = newParty();
  await queued(party, ['p1', 'p2']);
  stack.mockIop.control({ behaviour: 'http500' });
  const run = await activities().deliverCdrs(request(party));
  expect(run.end).toMatchObject({ kind: 'retry', cdrId: 'p1' });
  // p2 was claimed while p1 was on the wire; never POSTed, it carries no in-flight mark.
  expect(await deliveryRow(stack.db.pool, { ...party, id: 'p2' })).toMatchObject({
    status: 'queued',
    post_owner: null,
    post_started_at: null,
  });
  expect(postsOf(['p1', 'p2'])).toEqual([]);
  stack.mockIop.control({ behaviour: 'accept' });
  const next = await activities().deliverCdrs(request(party, { head: { cdrId: 'p1', failedAttempts: 1 } }));
  expect(next.settled.map((s) => s.cdrId)).toEqual(['p1', 'p2']);
  expect(postsOf(['p1', 'p2'])).toEqual(['p1', 'p2']);
});

describe('after an answer that says the receiver may hold the CDR (a proxy or a hub lost its answer)', () => {
  test.each(['store-then-502', 'store-then-4002'] as const)(
    'a CDR the receiver stored and answered %s is looked up, not POSTed again into a duplicate',
    async (behaviour) => {
      const party = newParty();
      // Ids of their own: the mock refuses a duplicate id whoever sent it.
      const [h1, h2] = [`${behaviour}-1`, `${behaviour}-2`];
      await queued(party, [h1, h2]);
      // A second POST of the first would be refused as "already exists": the CDR would read rejected while the receiver holds it.
      stack.mockIop.control({ failNext: 1, failNextBehaviour: behaviour, refuseDuplicates: 'as-invalid' });
      const first = await activities().deliverCdrs(request(party));
      expect(first.end).toMatchObject({ kind: 'retry', cdrId: h1 });
      expect((await deliveryRow(stack.db.pool, { ...party, id: h1 }))?.post_started_at).toBeInstanceOf(Date);
      const next = await activities().deliverCdrs(request(party, { head: { cdrId: h1, failedAttempts: 1 } }));
      expect(next.settled.map((settled) => [settled.cdrId, settled.result?.status])).toEqual([
        [h1, 'delivered'],
        [h2, 'delivered'],
      ]);
      expect(postsOf([h1, h2])).toEqual([h1, h2]);
      stack.mockIop.control({ refuseDuplicates: false });
    },
  );
});
