/**
 * X-Total-Count comes from per-day and per-hour counts kept by trigger (migration 002) plus
 * the rows of the window's partial edge hours. Whatever the window, the scope and the
 * changes made to rows, it must equal a plain count of the pullable rows.
 */
import fc from 'fast-check';
import type { Party } from '../../../src/ocpi/party';
import { countPullableCdrs } from '../../../src/store/cdr-pull-query';
import { type PullScope } from '../../../src/ocpi/party';
import { listMigrations, migrate } from '../../../src/store/migrate';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { storeCdr } from './api-harness';
import { COUNTED_PARTIES, instant, plainCount as plainCountOf, scope, windowBound } from './pull-count-cases';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const PARTIES = COUNTED_PARTIES;
const plainCount = (pullScope: PullScope, from: string | undefined, to: string | undefined) => plainCountOf(db.pool, pullScope, from, to);

let serial = 0;

test('the count equals a plain count of pullable rows for any window and scope, across inserts, updates and deletes', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(instant, fc.constantFrom(...PARTIES), fc.boolean()), { minLength: 1, maxLength: 25 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom('revalidate', 'invalidate', 'move', 'delete'), instant), { maxLength: 6 }),
      fc.array(fc.tuple(scope, windowBound, windowBound), { minLength: 1, maxLength: 6 }),
      async (rows, changes, queries) => {
        await db.pool.query('TRUNCATE cdrs');
        const ids: string[] = [];
        for (const [at, party, valid] of rows) {
          const id = `CNT-${++serial}`;
          ids.push(id);
          await storeCdr(db.pool, id, at, valid ? 'queued' : 'invalid', party);
        }
        for (const [pick, change, at] of changes) {
          const id = ids[pick % ids.length];
          if (change === 'revalidate') await db.pool.query(`UPDATE cdrs SET status = 'queued' WHERE id = $1`, [id]);
          if (change === 'invalidate') await db.pool.query(`UPDATE cdrs SET status = 'invalid' WHERE id = $1`, [id]);
          if (change === 'move') await db.pool.query('UPDATE cdrs SET last_updated = $2 WHERE id = $1', [id, at]);
          if (change === 'delete') await db.pool.query('DELETE FROM cdrs WHERE id = $1', [id]);
        }
        for (const [pullScope, from, to] of queries) {
          const counted = await countPullableCdrs(db.pool, pullScope, { from, to });
          expect(counted).toBe(await plainCount(pullScope, from, to));
        }
      },
    ),
    { numRuns: 100 },
  );
});

test('delivery bookkeeping (queued to sent) leaves the counts untouched', async () => {
  await db.pool.query('TRUNCATE cdrs');
  await storeCdr(db.pool, 'BOOK-1', new Date('2024-06-01T10:00:00Z'));
  const before = await db.pool.query('SELECT * FROM cdrs_pullable_per_hour');
  await db.pool.query(`UPDATE cdrs SET status = 'sent', attempts = 1, sent_at = now() WHERE id = 'BOOK-1'`);
  expect((await db.pool.query('SELECT * FROM cdrs_pullable_per_hour')).rows).toEqual(before.rows);
  expect(await countPullableCdrs(db.pool, 'all', {})).toBe(1);
});

test('hours and days are cut in UTC whatever the session time zone', async () => {
  await db.pool.query('TRUNCATE cdrs');
  const client = await db.pool.connect();
  try {
    await client.query(`SET TIME ZONE 'Asia/Kolkata'`);
    await client.query(
      `INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, last_updated, status)
       VALUES ('FR', 'AB1', 'TZ-1', 'S-TZ-1', '{}', '2024-06-01T10:59:00Z', 'queued')`,
    );
  } finally {
    await client.query('RESET TIME ZONE');
    client.release();
  }
  const hours = await db.pool.query<{ hour: Date }>('SELECT hour FROM cdrs_pullable_per_hour');
  expect(hours.rows.map((row) => row.hour.toISOString())).toEqual(['2024-06-01T10:00:00.000Z']);
  expect(await countPullableCdrs(db.pool, 'all', { from: '2024-06-01T10:00:00Z', to: '2024-06-01T11:00:00Z' })).toBe(1);
});

test('CDRs stored before the counts existed are counted once migration 002 runs', async () => {
  const older = await createTestDatabase({ migrate: false });
  // Plain SQL: the repository writes the columns of the latest schema, which 001 lacks.
  const storeAt001 = (id: string, at: string, status: 'queued' | 'invalid' = 'queued', party: Party = PARTIES[0]!) =>
    older.pool.query(
      `INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, last_updated, status)
       VALUES ($1, $2, $3, $4, '{}', $5, $6)`,
      [party.country_code, party.party_id, id, `S-${id}`, at, status],
    );
  try {
    await migrate(
      older.pool,
      listMigrations().filter((migration) => migration.version < 2),
    );
    await storeAt001('OLD-1', '2023-12-31T23:59:59.999Z');
    await storeAt001('OLD-2', '2024-01-01T00:00:00Z');
    await storeAt001('OLD-3', '2024-01-01T05:30:00Z', 'invalid');
    await storeAt001('OLD-4', '2024-01-02T05:30:00Z', 'queued', PARTIES[1]!);
    await migrate(older.pool);
    expect(await countPullableCdrs(older.pool, 'all', {})).toBe(3);
    expect(await countPullableCdrs(older.pool, 'all', { from: '2024-01-01T00:00:00Z' })).toBe(2);
    expect(await countPullableCdrs(older.pool, [PARTIES[0]!], { from: '2023-12-01T00:00:00Z', to: '2024-02-01T00:00:00Z' })).toBe(2);
  } finally {
    await older.drop();
  }
});
