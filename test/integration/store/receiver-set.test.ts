/**
 * Who receives a party's CDRs, against the writers of new deliveries, on a real database: a
 * receiver added with a backfill gets every CDR handed in since, whether built yet or not,
 * and a hand-in that overlaps the add is either backfilled or sees the new receiver.
 */
import { Client } from 'pg';
import { insertCdr } from '../../../src/store/cdr-repo';
import { addConnection, removeConnection, updateConnection } from '../../../src/store/connection-repo';
import { claimPost, releaseClaims, whyNotClaimed } from '../../../src/store/post-claims';
import { deliveriesOf } from '../../../src/store/delivery-repo';
import { recordHandIns } from '../../../src/store/queue-repo';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { markSent } from '../../support/deliveries';
import { waitFor } from '../../support/temporal';

let db: TestDatabase;
let partyCount = 0;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
/** Each receiver on a host of its own (nothing listens there): one party never has two connections to one hub. */
let nextPort = 10;

const newParty = () => ({ country_code: 'FR', party_id: `R${String(partyCount++).padStart(2, '0')}` });
const handIn = (cdrId: string) => ({ cdrId, sessionId: `s-${cdrId}`, at: Date.now() });
const receiverOf = (name: string) => ({
  name,
  enabled: true,
  ocpiVersion: '2.1.1' as const,
  cdrsUrl: `http://127.0.0.1:${nextPort++}/ocpi/emsp/2.1.1/cdrs`,
  token: 'token-of-the-test',
  checkUrlTemplate: null,
});
const receiversOf = async (party: ReturnType<typeof newParty>, id: string) =>
  (await deliveriesOf(db.pool, { ...party, id })).map((delivery) => `${delivery.connection}:${delivery.status}`);
const laneOrder = async (party: ReturnType<typeof newParty>, connection: string) =>
  (
    await db.pool.query<{ cdr_id: string }>(
      'SELECT cdr_id FROM deliveries WHERE country_code = $1 AND party_id = $2 AND connection = $3 ORDER BY seq',
      [party.country_code, party.party_id, connection],
    )
  ).rows.map((row) => row.cdr_id);

test('a receiver added with --backfill-from gets every CDR handed in since, the ones not built yet too, in hand-in order', async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...receiverOf('gireve') });
  await recordHandIns(db.pool, party, [handIn('built'), handIn('on-its-way'), handIn('worker-was-down')]);
  // Only the first is stored: the others wait for their session workflows (a worker that is down).
  await insertCdr(db.pool, { ...party, id: 'built', session_id: 's-built', cdr: { id: 'built' }, status: 'queued' });

  const added = await addConnection(db.pool, { party, ...receiverOf('emsp') }, new Date(Date.now() - 3_600_000));
  expect(added.backfilled).toBe(3);
  for (const id of ['built', 'on-its-way', 'worker-was-down'])
    expect(await receiversOf(party, id)).toEqual(['emsp:queued', 'gireve:queued']);
  expect(await laneOrder(party, 'emsp')).toEqual(['built', 'on-its-way', 'worker-was-down']);
});

test('a hand-in whose write overlaps an add: the new receiver gets it, whichever commits first', async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...receiverOf('gireve') });
  // Another session holds the queue place of `late` open, so the hand-in's write waits on it:
  // the widest window a hand-in can have between reading the receivers and committing.
  const holder = new Client({ connectionString: db.url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query(
      `INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at) VALUES ($1, $2, 'late', 's-late', now())`,
      [party.country_code, party.party_id],
    );
    const handingIn = recordHandIns(db.pool, party, [handIn('late')]);
    const waitingOnLocks = async (query: string) =>
      Number(
        (
          await db.pool.query<{ waiting: string }>(
            `SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
            [`%${query}%`],
          )
        ).rows[0]!.waiting,
      );
    await waitFor('the hand-in to wait on the open place', async () =>
      (await waitingOnLocks('INSERT INTO queue_entries')) > 0 ? true : undefined,
    );

    let addDone = false;
    const adding = addConnection(db.pool, { party, ...receiverOf('emsp') }, new Date(Date.now() - 3_600_000)).finally(() => {
      addDone = true;
    });
    // The add either finishes (it did not wait for the hand-in) or waits for it.
    await waitFor('the add to finish or to wait for the hand-in', async () =>
      addDone || (await waitingOnLocks('pg_advisory_xact_lock(')) > 0 ? true : undefined,
    );
    await holder.query('ROLLBACK');
    expect(await handingIn).toEqual(['late']);
    await adding;
  } finally {
    await holder.end();
  }
  expect(await receiversOf(party, 'late')).toEqual(['emsp:queued', 'gireve:queued']);
});

test("removing a party's last connection hands its waiting CDRs to IOP_* with their in-flight marks: looked up before any POST", async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...receiverOf('gireve') });
  await recordHandIns(db.pool, party, [handIn('unknown-outcome'), handIn('never-posted')]);
  for (const id of ['unknown-outcome', 'never-posted']) {
    await insertCdr(db.pool, { ...party, id, session_id: `s-${id}`, cdr: { id }, status: 'queued' });
  }
  // A run POSTed the first and never learnt the outcome (it keeps its mark); it did not reach the second.
  const lane = { party, connection: 'gireve' };
  const run = { owner: 'run-1', leaseMs: 60_000, postDelayMs: 30_000 };
  await claimPost(db.pool, lane, 'unknown-outcome', run);
  await releaseClaims(db.pool, lane, 'run-1', ['unknown-outcome'], ['unknown-outcome']);

  await updateConnection(db.pool, party, 'gireve', { enabled: false });
  expect(await removeConnection(db.pool, party, 'gireve', 30_000)).toEqual({ outcome: 'removed', movedToDefault: 2, dropped: 0 });
  const fallback = { party, connection: 'default' };
  expect((await claimPost(db.pool, fallback, 'unknown-outcome', { ...run, owner: 'run-2' }))?.earlierPostAt).toBeInstanceOf(Date);
  expect((await claimPost(db.pool, fallback, 'never-posted', { ...run, owner: 'run-2' }))?.earlierPostAt).toBeNull();
});

describe('a receiver disabled for a while, then enabled', () => {
  test('enable with --backfill-from queues what was handed in meanwhile, behind what waited for it, in hand-in order', async () => {
    const party = newParty();
    await addConnection(db.pool, { party, ...receiverOf('gireve') });
    await addConnection(db.pool, { party, ...receiverOf('emsp') });
    await recordHandIns(db.pool, party, [handIn('before')]);
    await updateConnection(db.pool, party, 'emsp', { enabled: false });
    await recordHandIns(db.pool, party, [handIn('while-1'), handIn('while-2')]);
    for (const id of ['before', 'while-1'])
      await insertCdr(db.pool, { ...party, id, session_id: `s-${id}`, cdr: { id }, status: 'queued' });
    expect(await receiversOf(party, 'while-1')).toEqual(['gireve:queued']);

    const enabled = await updateConnection(db.pool, party, 'emsp', { enabled: true }, new Date(Date.now() - 3_600_000));
    expect(enabled).toMatchObject({ enabled: true, backfilled: 2, creditedLeftOut: 0 });
    expect(await laneOrder(party, 'emsp')).toEqual(['before', 'while-1', 'while-2']);
    // Enabled again without a backfill: nothing more is queued, and the listing says nothing was.
    expect(await updateConnection(db.pool, party, 'emsp', { enabled: true })).toMatchObject({ backfilled: 0 });
  });

  test('a backfill leaves out credit CDRs and the CDRs they cancel, and counts them', async () => {
    const party = newParty();
    await addConnection(db.pool, { party, ...receiverOf('gireve'), ocpiVersion: '2.2.1' });
    await recordHandIns(db.pool, party, [handIn('kept'), handIn('cancelled'), handIn('credit')]);
    const body = (id: string) => ({ id });
    for (const id of ['kept', 'cancelled']) {
      await insertCdr(db.pool, { ...party, id, session_id: `s-${id}`, cdr: body(id), cdr_221: body(id), status: 'queued' });
      await markSent(db.pool, { ...party, id }, null, 'gireve');
    }
    await insertCdr(db.pool, {
      ...party,
      id: 'credit',
      session_id: 's-cancelled',
      cdr: null,
      cdr_221: body('credit'),
      credit_of: 'cancelled',
      status: 'queued',
    });

    const added = await addConnection(db.pool, { party, ...receiverOf('emsp'), ocpiVersion: '2.2.1' }, new Date(Date.now() - 3_600_000));
    expect(added).toMatchObject({ backfilled: 1, creditedLeftOut: 2 });
    expect(await laneOrder(party, 'emsp')).toEqual(['kept']);
  });
});

test('removing a connection is refused while a run holds a claim there (its outcome would be lost), allowed once it lapsed', async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...receiverOf('gireve') });
  await addConnection(db.pool, { party, ...receiverOf('emsp') });
  await recordHandIns(db.pool, party, [handIn('on-the-wire')]);
  await insertCdr(db.pool, { ...party, id: 'on-the-wire', session_id: 's-on-the-wire', cdr: { id: 'on-the-wire' }, status: 'queued' });
  expect(
    await claimPost(db.pool, { party, connection: 'emsp' }, 'on-the-wire', { owner: 'run-1', leaseMs: 60_000, postDelayMs: 30_000 }),
  ).toBeDefined();
  await updateConnection(db.pool, party, 'emsp', { enabled: false });

  const refused = await removeConnection(db.pool, party, 'emsp', 30_000);
  expect(refused).toMatchObject({ outcome: 'in-flight' });
  expect(refused.outcome === 'in-flight' && refused.retryInMs).toBeGreaterThan(25_000);
  expect(await receiversOf(party, 'on-the-wire')).toEqual(['emsp:queued', 'gireve:queued']);
  // A claim older than the lease is a dead run's: it no longer stops the removal.
  await db.pool.query(`UPDATE deliveries SET post_started_at = now() - interval '31 seconds' WHERE connection = 'emsp' AND party_id = $1`, [
    party.party_id,
  ]);
  expect(await removeConnection(db.pool, party, 'emsp', 30_000)).toEqual({ outcome: 'removed', movedToDefault: 0, dropped: 1 });
});

test('a disabled connection gives no claim: a run under way stops at its next CDR', async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...receiverOf('gireve') });
  await recordHandIns(db.pool, party, [handIn('next')]);
  await insertCdr(db.pool, { ...party, id: 'next', session_id: 's-next', cdr: { id: 'next' }, status: 'queued' });
  await updateConnection(db.pool, party, 'gireve', { enabled: false });
  const lane = { party, connection: 'gireve' };
  expect(await claimPost(db.pool, lane, 'next', { owner: 'run-1', leaseMs: 60_000, postDelayMs: 30_000 })).toBeUndefined();
  expect(await whyNotClaimed(db.pool, lane, 'next', 60_000)).toEqual({ kind: 'receiver-disabled' });
  await updateConnection(db.pool, party, 'gireve', { enabled: true });
  expect(await claimPost(db.pool, lane, 'next', { owner: 'run-1', leaseMs: 60_000, postDelayMs: 30_000 })).toBeDefined();
  expect(await whyNotClaimed(db.pool, lane, 'next', 60_000)).toMatchObject({ kind: 'held' });
});
