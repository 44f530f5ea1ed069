/**
 * No queue entry is left unsettled without a receiver that waits for its CDR, on a real
 * database: a re-send goes only to receivers that still exist, a hand-in of a CDR every
 * receiver holds settles at once, and the worker's repair settles what slipped through.
 */
import { deleteUnsentCdr, findCdr, insertCdr, requeueRejectedCdr } from '../../../src/store/cdr-repo';
import { addConnection, removeConnection, updateConnection } from '../../../src/store/connection-repo';
import { repairDeliveries } from '../../../src/store/delivery-repair';
import { deliveriesOf, markRejected, markSent } from '../../../src/store/delivery-repo';
import { recordHandIns } from '../../../src/store/queue-repo';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let partyCount = 0;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
/** Each receiver on a host of its own (nothing listens there): one party never has two connections to one hub. */
let nextPort = 10;

type TestParty = { country_code: string; party_id: string };
const newParty = (): TestParty => ({ country_code: 'FR', party_id: `U${String(partyCount++).padStart(2, '0')}` });
const receiver = (party: TestParty, name: string) =>
  addConnection(db.pool, {
    party,
    name,
    enabled: true,
    ocpiVersion: '2.1.1',
    cdrsUrl: `http://127.0.0.1:${nextPort++}/ocpi/emsp/2.1.1/cdrs`,
    token: 'token-of-the-test',
    checkUrlTemplate: null,
  });
const remove = async (party: TestParty, name: string) => {
  await updateConnection(db.pool, party, name, { enabled: false });
  expect((await removeConnection(db.pool, party, name, 30_000)).outcome).toBe('removed');
};
const deliveries = async (party: TestParty, id: string) =>
  (await deliveriesOf(db.pool, { ...party, id })).map((delivery) => `${delivery.connection}:${delivery.status}`);
const entry = async (party: TestParty, id: string) =>
  (
    await db.pool.query<{ settled: boolean }>(
      'SELECT settled FROM queue_entries WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3',
      [party.country_code, party.party_id, id],
    )
  ).rows[0];

/** A CDR handed in to the party's receivers and stored, then settled at each as given. */
async function settledAt(party: TestParty, id: string, outcomes: Record<string, 'sent' | 'rejected'>): Promise<void> {
  await recordHandIns(db.pool, party, [{ cdrId: id, sessionId: `s-${id}`, at: Date.now() }]);
  await insertCdr(db.pool, { ...party, id, session_id: `s-${id}`, cdr: { id }, status: 'queued' });
  for (const [connection, outcome] of Object.entries(outcomes)) {
    const lane = { party, connection };
    if (outcome === 'sent') await markSent(db.pool, lane, id, null);
    else await markRejected(db.pool, lane, id, 'HTTP 400, OCPI 2001 refused');
  }
}

test('a re-send goes only to receivers that still exist; with none left waiting it is refused and changes nothing', async () => {
  const party = newParty();
  await receiver(party, 'a');
  await receiver(party, 'b');
  await receiver(party, 'c');
  await settledAt(party, 'mixed', { a: 'rejected', b: 'sent', c: 'rejected' });
  await settledAt(party, 'refused-by-a', { a: 'rejected', b: 'sent', c: 'sent' });
  await remove(party, 'a');

  // c refused it and is still there: only c gets it again, never the removed a.
  expect(await requeueRejectedCdr(db.pool, { ...party, id: 'mixed' })).toEqual({ sessionId: 's-mixed' });
  expect(await deliveries(party, 'mixed')).toEqual(['a:rejected', 'b:sent', 'c:queued']);

  // Only a refused it, and a is gone: nobody would wait for it.
  expect(await requeueRejectedCdr(db.pool, { ...party, id: 'refused-by-a' })).toEqual({
    refused: expect.stringMatching(/no receiver of FR\*U\d\d is left to send CDR refused-by-a to/),
  });
  expect(await deliveries(party, 'refused-by-a')).toEqual(['a:rejected', 'b:sent', 'c:sent']);
  expect((await findCdr(db.pool, { ...party, id: 'refused-by-a' }))?.status).toBe('rejected');
  expect(await entry(party, 'refused-by-a')).toEqual({ settled: true });

  // Nor is it replayed: its rebuild would wait for nobody.
  expect(await deleteUnsentCdr(db.pool, { ...party, id: 'refused-by-a' })).toBe('every-receiver-holds-it');
  expect(await findCdr(db.pool, { ...party, id: 'refused-by-a' })).toBeDefined();
});

test('a hand-in of a stored CDR that every receiver holds already is settled at once', async () => {
  const party = newParty();
  await receiver(party, 'b');
  await settledAt(party, 'held', { b: 'sent' });
  // As a replay leaves it: stored queued again, its place gone, its one receiver holding it.
  await db.pool.query(`DELETE FROM queue_entries WHERE country_code = $1 AND party_id = $2 AND cdr_id = 'held'`, [
    party.country_code,
    party.party_id,
  ]);
  await db.pool.query(`UPDATE cdrs SET status = 'queued' WHERE country_code = $1 AND party_id = $2 AND id = 'held'`, [
    party.country_code,
    party.party_id,
  ]);
  expect(await recordHandIns(db.pool, party, [{ cdrId: 'held', sessionId: 's-held', at: Date.now() }])).toEqual(['held']);
  expect(await entry(party, 'held')).toEqual({ settled: true });
  expect((await findCdr(db.pool, { ...party, id: 'held' }))?.status).toBe('sent');
});

test("the worker's repair sets aside deliveries for connections that no longer exist and settles entries nobody waits for", async () => {
  const party = newParty();
  await receiver(party, 'b');
  await settledAt(party, 'ghost', {});
  // A delivery for a connection that is not there (written before the rules that prevent it).
  await db.pool.query(
    `UPDATE deliveries SET connection = 'gone' WHERE country_code = $1 AND party_id = $2 AND cdr_id = 'ghost' AND connection = 'b'`,
    [party.country_code, party.party_id],
  );
  expect(await entry(party, 'ghost')).toEqual({ settled: false });

  const repairs = await repairDeliveries(db.pool);
  expect(repairs.filter((repair) => repair.party.party_id === party.party_id)).toEqual([{ party, lanesGone: 1, unserved: 0 }]);
  expect(await deliveries(party, 'ghost')).toEqual(['gone:skipped']);
  expect(await entry(party, 'ghost')).toEqual({ settled: true });
  // Settled, visible and re-sendable: no receiver took it.
  expect((await findCdr(db.pool, { ...party, id: 'ghost' }))?.status).toBe('rejected');
  expect(await repairDeliveries(db.pool)).toEqual([]);
});
