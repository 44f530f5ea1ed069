/**
 * A CPO's queue as Postgres keeps it (its system of record): the FIFO rules, on a real database.
 */
import { insertCdr, requeueRejectedCdr } from '../../../src/store/cdr-repo';
import { skipInvalidCdr } from '../../../src/store/delivery-repo';
import { markRejected, markSent, readQueueHead } from '../../support/deliveries';
import { dropUnstoredEntry, recordHandIns, removeSettledEntries, summarizeQueue } from '../../../src/store/queue-repo';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let partyCount = 0;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const newParty = () => ({ country_code: 'FR', party_id: `Q${String(partyCount++).padStart(2, '0')}` });
const handIn = (cdrId: string, at = Date.now()) => ({ cdrId, sessionId: `s-${cdrId}`, at });
const store = (party: ReturnType<typeof newParty>, id: string, status: 'queued' | 'invalid' = 'queued') =>
  insertCdr(db.pool, { ...party, id, session_id: `s-${id}`, cdr: { id }, last_updated: new Date(), status });
const order = async (party: ReturnType<typeof newParty>) => (await readQueueHead(db.pool, party, 10_000)).map((entry) => entry.cdrId);

test('keeps hand-ins in the order they arrived, within one write and across writes', async () => {
  const party = newParty();
  const ids = Array.from({ length: 500 }, (_, index) => `cdr-${(index * 7919) % 500}`); // not sorted by id
  expect(
    await recordHandIns(
      db.pool,
      party,
      ids.slice(0, 300).map((id) => handIn(id)),
    ),
  ).toHaveLength(300);
  await recordHandIns(
    db.pool,
    party,
    ids.slice(300).map((id) => handIn(id)),
  );
  expect(await order(party)).toEqual(ids);
});

test('a CDR handed in twice is queued once, at its first place', async () => {
  const party = newParty();
  await recordHandIns(db.pool, party, [handIn('a'), handIn('b'), handIn('a')]);
  expect(await recordHandIns(db.pool, party, [handIn('c'), handIn('b')])).toEqual(['c']);
  expect(await order(party)).toEqual(['a', 'b', 'c']);
});

test('a CDR that already left the queue is not queued again by a late hand-in', async () => {
  const party = newParty();
  await recordHandIns(db.pool, party, [handIn('sent'), handIn('bad'), handIn('refused')]);
  await store(party, 'sent');
  await store(party, 'bad', 'invalid');
  await store(party, 'refused');
  await markSent(db.pool, { ...party, id: 'sent' }, null);
  await markRejected(db.pool, { ...party, id: 'refused' }, 'HTTP 400, OCPI 2001');
  await skipInvalidCdr(db.pool, { ...party, id: 'bad' }); // as the run that reaches it does
  // They stay until the queue workflow has reported them to their session workflows.
  expect(await order(party)).toEqual(['sent', 'bad', 'refused']);
  await removeSettledEntries(db.pool, party, ['sent', 'bad', 'refused']);
  expect(await order(party)).toEqual([]);
  expect(await recordHandIns(db.pool, party, [handIn('sent'), handIn('bad'), handIn('refused')])).toEqual([]);
  expect(await order(party)).toEqual([]);
});

test('the head shows, in order, which CDRs are stored and which are still being built', async () => {
  const party = newParty();
  await recordHandIns(db.pool, party, [handIn('built'), handIn('building'), handIn('built-later')]);
  await store(party, 'built');
  await store(party, 'built-later');
  const head = await readQueueHead(db.pool, party, 2);
  expect(head.map((entry) => [entry.cdrId, entry.status])).toEqual([
    ['built', 'queued'],
    ['building', null],
  ]);
});

test('a re-sent CDR goes to the tail of its queue', async () => {
  const party = newParty();
  await recordHandIns(db.pool, party, [handIn('first'), handIn('second')]);
  await store(party, 'first');
  await store(party, 'second');
  await markRejected(db.pool, { ...party, id: 'first' }, 'HTTP 400, OCPI 2001');
  // Re-sent before the rejection was even reported (its entry still at the head): it moves to the tail.
  expect(await requeueRejectedCdr(db.pool, { ...party, id: 'first' })).toEqual({ sessionId: 's-first' });
  expect(await order(party)).toEqual(['second', 'first']);
  await removeSettledEntries(db.pool, party, ['first']); // the late report of its rejection leaves it queued
  expect(await order(party)).toEqual(['second', 'first']);
  // Asked again (a retried call): it keeps its place.
  expect(await requeueRejectedCdr(db.pool, { ...party, id: 'first' })).toEqual({ sessionId: 's-first' });
  expect(await order(party)).toEqual(['second', 'first']);
  expect(await requeueRejectedCdr(db.pool, { ...party, id: 'unknown' })).toBeUndefined();
});

test('a hand-in whose CDR is never built is dropped, but never once a CDR is stored for it', async () => {
  const party = newParty();
  await recordHandIns(db.pool, party, [handIn('ghost'), handIn('late')]);
  expect(await dropUnstoredEntry(db.pool, { ...party, id: 'ghost' })).toBe(true);
  await store(party, 'late'); // stored while the queue was looking into why it was not
  expect(await dropUnstoredEntry(db.pool, { ...party, id: 'late' })).toBe(false);
  expect(await order(party)).toEqual(['late']);
});

test('summarizes depth, head and oldest hand-in for operators', async () => {
  const party = newParty();
  expect(await summarizeQueue(db.pool, party)).toEqual({ depth: 0, headCdrId: null, oldestEnqueuedAt: null });
  await recordHandIns(db.pool, party, [handIn('h1', Date.parse('2026-11-20T08:00:00Z')), handIn('h2')]);
  expect(await summarizeQueue(db.pool, party)).toEqual({
    depth: 2,
    headCdrId: 'h1',
    oldestEnqueuedAt: new Date('2026-11-20T08:00:00Z'),
  });
});
