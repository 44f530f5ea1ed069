/**
 * Migration 009 moves the delivery state of a database in use from the cdrs row to one
 * delivery per (CDR, receiver): what was on its way keeps its place, attempts and in-flight
 * mark (looked up where it went), what was settled keeps where it went.
 */
import { listMigrations, migrate } from '../../../src/store/migrate';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  await migrate(
    db.pool,
    listMigrations().filter((migration) => migration.version < 9),
  );
});
afterAll(() => db.drop());

test('queued, in-flight, held, sent and rejected CDRs of 008 become deliveries in 009', async () => {
  const insert = (party: string, id: string, status: string, extra = '') =>
    db.pool.query(
      `INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, last_updated, status${extra ? ', post_started_at, post_owner, post_connection, attempts' : ''})
       VALUES ('FR', $1, $2, 's-' || $2, '{}', now(), $3${extra})`,
      [party, id, status],
    );
  // FR*AAA delivers through IOP_*; FR*BBB through its connection `gireve`; FR*CCC's only connection is disabled.
  await db.pool.query(`INSERT INTO connections (country_code, party_id, name, ocpi_version, cdrs_url, token) VALUES
    ('FR', 'BBB', 'gireve', '2.1.1', 'https://gireve.example/cdrs', 't1'),
    ('FR', 'CCC', 'old', '2.1.1', 'https://old.example/cdrs', 't2')`);
  await db.pool.query(`UPDATE connections SET enabled = false WHERE party_id = 'CCC'`);
  await insert('AAA', 'waiting', 'queued');
  await insert('AAA', 'in-flight', 'queued', ", now(), 'run-1', NULL, 2");
  await insert('BBB', 'to-gireve', 'queued');
  await insert('BBB', 'sent-before', 'sent');
  await db.pool.query(
    `UPDATE cdrs SET post_connection = 'gireve', iop_location = 'https://gireve.example/cdrs/x' WHERE id = 'sent-before'`,
  );
  await insert('AAA', 'refused', 'rejected');
  await insert('CCC', 'held', 'queued');
  await db.pool.query(`INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at) VALUES
    ('FR', 'AAA', 'waiting', 's-waiting', now()), ('FR', 'AAA', 'in-flight', 's-in-flight', now()),
    ('FR', 'BBB', 'to-gireve', 's-to-gireve', now()), ('FR', 'AAA', 'refused', 's-refused', now()),
    ('FR', 'CCC', 'held', 's-held', now()), ('FR', 'AAA', 'not-stored', 's-not-stored', now())`);

  await migrate(db.pool);

  const deliveries = await db.pool.query(
    `SELECT cdr_id, connection, status, attempts, post_owner, iop_location, seq > 0 AS placed FROM deliveries ORDER BY cdr_id`,
  );
  expect(deliveries.rows).toEqual([
    { cdr_id: 'held', connection: 'old', status: 'queued', attempts: 0, post_owner: null, iop_location: null, placed: true },
    { cdr_id: 'in-flight', connection: 'default', status: 'queued', attempts: 2, post_owner: 'run-1', iop_location: null, placed: true },
    { cdr_id: 'not-stored', connection: 'default', status: 'queued', attempts: 0, post_owner: null, iop_location: null, placed: true },
    { cdr_id: 'refused', connection: 'default', status: 'rejected', attempts: 0, post_owner: null, iop_location: null, placed: false },
    {
      cdr_id: 'sent-before',
      connection: 'gireve',
      status: 'sent',
      attempts: 0,
      post_owner: null,
      iop_location: 'https://gireve.example/cdrs/x',
      placed: false,
    },
    { cdr_id: 'to-gireve', connection: 'gireve', status: 'queued', attempts: 0, post_owner: null, iop_location: null, placed: true },
    { cdr_id: 'waiting', connection: 'default', status: 'queued', attempts: 0, post_owner: null, iop_location: null, placed: true },
  ]);
  // The rejected CDR's entry (not reported yet) is settled: it leaves once its session workflow is told.
  const settled = await db.pool.query(`SELECT cdr_id FROM queue_entries WHERE settled ORDER BY cdr_id`);
  expect(settled.rows).toEqual([{ cdr_id: 'refused' }]);
  // Several enabled connections per party from now on.
  await db.pool.query(`INSERT INTO connections (country_code, party_id, name, ocpi_version, cdrs_url, token) VALUES
    ('FR', 'BBB', 'emsp', '2.2.1', 'https://emsp.example/cdrs', 't3')`);
  const receivers = await db.pool.query(`SELECT cdrflow_receivers('FR', 'BBB') AS name ORDER BY 1`);
  expect(receivers.rows.map((row) => row.name)).toEqual(['emsp', 'gireve']);
});
