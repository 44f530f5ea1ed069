/**
 * One receiver refused a CDR, another took it or still waits for it: a re-send reaches the one
 * that refused, and the copy taken is reconciled and creditable like any sent CDR. Real Postgres.
 */
import { findCdr, insertCdr, requeueRejectedCdr } from '../../../src/store/cdr-repo';
import { addConnection } from '../../../src/store/connection-repo';
import { storeCreditCdr } from '../../../src/store/credit-repo';
import { deliveriesOf, settleDelivery } from '../../../src/store/delivery-repo';
import { recordHandIns } from '../../../src/store/queue-repo';
import { sentCdrsAfter } from '../../../src/store/reconcile-repo';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let partyCount = 0;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
/** Each receiver on a host of its own (nothing listens there): one party never has two connections to one hub. */
let nextPort = 10;

const receiver = (name: string) => ({
  name,
  enabled: true,
  ocpiVersion: '2.2.1' as const,
  cdrsUrl: `http://127.0.0.1:${nextPort++}/${name}/cdrs`,
  token: 'token-of-the-test',
  checkUrlTemplate: null,
});

/** A party with two receivers and one CDR handed in and stored for both. */
async function partyWithOneCdr(id: string) {
  const party = { country_code: 'FR', party_id: `T${String(partyCount++).padStart(2, '0')}` };
  await addConnection(db.pool, { party, ...receiver('gireve') });
  await addConnection(db.pool, { party, ...receiver('emsp') });
  await recordHandIns(db.pool, party, [{ cdrId: id, sessionId: `s-${id}`, at: Date.now() }]);
  await insertCdr(db.pool, { ...party, id, session_id: `s-${id}`, cdr: { id }, cdr_221: { id }, status: 'queued' });
  return party;
}

const deliveryStates = async (key: { country_code: string; party_id: string; id: string }) =>
  Object.fromEntries((await deliveriesOf(db.pool, key)).map((delivery) => [delivery.connection, delivery.status]));

test('a re-send of a CDR one receiver refused while another still waits for it queues it again there, at the tail', async () => {
  const party = await partyWithOneCdr('half-refused');
  const key = { ...party, id: 'half-refused' };
  expect(
    await settleDelivery(db.pool, { party, connection: 'emsp' }, key.id, { status: 'rejected', reason: 'HTTP 400, OCPI 2001' }),
  ).toBeUndefined();
  const seqBefore = (await db.pool.query<{ seq: string }>(`SELECT seq FROM deliveries WHERE cdr_id = $1 AND connection = 'emsp'`, [key.id]))
    .rows[0]!.seq;

  expect(await requeueRejectedCdr(db.pool, key)).toEqual({ sessionId: 's-half-refused' });
  expect(await deliveryStates(key)).toEqual({ emsp: 'queued', gireve: 'queued' });
  const seqAfter = (await db.pool.query<{ seq: string }>(`SELECT seq FROM deliveries WHERE cdr_id = $1 AND connection = 'emsp'`, [key.id]))
    .rows[0]!.seq;
  expect(Number(seqAfter)).toBeGreaterThan(Number(seqBefore));
});

test('refused by one receiver and taken by another: rejected, yet the copy taken is reconciled and can be credited', async () => {
  const party = await partyWithOneCdr('mixed');
  const key = { ...party, id: 'mixed' };
  const since = new Date(Date.now() - 60_000);
  await settleDelivery(db.pool, { party, connection: 'gireve' }, key.id, { status: 'sent', location: null });
  const settled = await settleDelivery(db.pool, { party, connection: 'emsp' }, key.id, { status: 'rejected', reason: 'HTTP 400' });
  expect(settled).toMatchObject({ status: 'rejected', partlyTaken: true });
  expect(await findCdr(db.pool, key)).toMatchObject({ status: 'rejected', post_connection: 'gireve', sent_at: expect.any(Date) });

  const walked = (await sentCdrsAfter(db.pool, since, null, 100)).filter((cdr) => cdr.party_id === party.party_id);
  expect(walked.map((cdr) => [cdr.id, cdr.postConnection])).toEqual([['mixed', 'gireve']]);

  const credit = await storeCreditCdr(db.pool, { ...key, session_id: 's-mixed' }, { id: 'mixed-C', body: { id: 'mixed-C' } }, ['gireve']);
  expect(credit).toEqual({ issued: true, status: 'queued' });
  expect(await deliveryStates({ ...party, id: 'mixed-C' })).toEqual({ gireve: 'queued' });
  // A CDR no receiver took is still refused.
  const refusedEverywhere = await partyWithOneCdr('nobody');
  const nobody = { ...refusedEverywhere, id: 'nobody' };
  for (const connection of ['gireve', 'emsp'])
    await settleDelivery(db.pool, { party: refusedEverywhere, connection }, nobody.id, { status: 'rejected', reason: 'HTTP 400' });
  expect(await storeCreditCdr(db.pool, { ...nobody, session_id: 's-nobody' }, { id: 'nobody-C', body: {} }, ['gireve'])).toMatchObject({
    refused: expect.stringContaining('not sent'),
  });
});
