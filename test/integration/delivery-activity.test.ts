/**
 * The queue's POST activity on its own, against real Postgres and a mock IOP: the marks
 * that keep a crash from sending a CDR twice.
 */
import { createDeliveryActivities } from '../../activities/delivery-activities';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { createIopClient, type IopClient } from '../../src/iop/iop-client';
import { findCdr, insertCdr } from '../../src/store/cdr-repo';
import { createTestDatabase, type TestDatabase } from '../support/db';

const party = { country_code: 'FR', party_id: 'DLV' };
let db: TestDatabase;
let mock: MockIop;
let iop: IopClient;

beforeAll(async () => {
  [db, mock] = await Promise.all([createTestDatabase(), startMockIop()]);
  iop = createIopClient({ cdrsUrl: mock.cdrsUrl, token: mock.token, checkUrlTemplate: `${mock.cdrsUrl}/{cdr_id}`, requestTimeoutMs: 1_000 });
});
afterAll(async () => {
  await iop.close();
  await mock.close();
  await db.drop();
});

const store = (id: string) =>
  insertCdr(db.pool, { ...party, id, session_id: `s-${id}`, cdr: { id, total_cost: 1 }, last_updated: new Date(), status: 'queued' });

test('a run interrupted by a crash checks each CDR a dead worker may have sent, even across a failed attempt', async () => {
  const deliver = createDeliveryActivities({ pool: db.pool, iop, retry: { initialMs: 10, maxMs: 10 } }).deliverCdrs;
  for (const id of ['c1', 'c2', 'c3']) await store(id);
  // A worker died mid-run: c2 had reached the IOP, c3 had not; both are marked.
  await iop.postCdr({ id: 'c2', total_cost: 1 });
  await db.pool.query("UPDATE cdrs SET post_started_at = now() WHERE id IN ('c2', 'c3')");

  mock.control({ failNext: 1, failNextBehaviour: 'http500' });
  const failed = await deliver({ party, cdrIds: ['c1', 'c2', 'c3'], failedAttempts: 0, outcomeUnknown: false });
  expect(failed.map((r) => r.kind)).toEqual(['retry']);
  for (const id of ['c2', 'c3']) expect((await findCdr(db.pool, { ...party, id }))?.post_started_at).toBeInstanceOf(Date);
  expect((await findCdr(db.pool, { ...party, id: 'c1' }))?.post_started_at).toBeNull();

  const delivered = await deliver({ party, cdrIds: ['c1', 'c2', 'c3'], failedAttempts: 1, outcomeUnknown: false });
  expect(delivered.map((r) => r.kind)).toEqual(['delivered', 'delivered', 'delivered']);
  expect(mock.received.map((r) => r.id)).toEqual(['c2', 'c1', 'c3']);
  for (const id of ['c1', 'c2', 'c3']) {
    expect(await findCdr(db.pool, { ...party, id })).toMatchObject({ status: 'sent', post_started_at: null });
  }
});

test('a CDR no longer queued is reported as the store knows it, and not POSTed', async () => {
  const deliver = createDeliveryActivities({ pool: db.pool, iop, retry: { initialMs: 10, maxMs: 10 } }).deliverCdrs;
  const before = mock.postCount();
  expect(await deliver({ party, cdrIds: ['c1', 'unknown'], failedAttempts: 0, outcomeUnknown: false })).toEqual([
    { kind: 'delivered', location: null },
    { kind: 'rejected', reason: 'CDR is not in the store' },
  ]);
  expect(mock.postCount()).toBe(before);
});
