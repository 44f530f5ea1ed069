/**
 * The 2.2.1 X-Total-Count comes from the per-day and per-hour counts of migration 002,
 * extended by migration 007 with the rows that have a 2.2.1 form. Whatever the window, the
 * scope and the changes made to rows (a form added or dropped included), both counts must
 * equal a plain count of the rows each pull serves. Rows without a 2.1.1 form are credit
 * CDRs (2.2.1 only); the test database lets `cdr` be null for them.
 */
import fc from 'fast-check';
import type { CdrForm } from '../../../src/store/cdr-form';
import { countPullableCdrs } from '../../../src/store/cdr-pull-query';
import { listMigrations, migrate } from '../../../src/store/migrate';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { plausibleCdr221, storeCdr221 } from './api-harness-221';
import { COUNTED_PARTIES, instant, plainCount, scope, windowBound } from './pull-count-cases';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query('ALTER TABLE cdrs ALTER COLUMN cdr DROP NOT NULL');
});
afterAll(async () => {
  await db.drop();
});

const PARTIES = COUNTED_PARTIES;

let serial = 0;
const CHANGES = ['add-221', 'drop-221', 'rewrite-221', 'drop-211', 'invalidate', 'revalidate', 'move', 'delete'] as const;

test('both counts equal a plain count for any window and scope, across inserts, 2.2.1 forms added or dropped, updates and deletes', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(instant, fc.constantFrom(...PARTIES), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 20 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...CHANGES), instant), { maxLength: 6 }),
      fc.array(fc.tuple(fc.constantFrom<CdrForm>('2.1.1', '2.2.1'), scope, windowBound, windowBound), { minLength: 1, maxLength: 6 }),
      async (rows, changes, queries) => {
        await db.pool.query('TRUNCATE cdrs');
        const ids: string[] = [];
        for (const [at, party, valid, with221] of rows) {
          const id = `CNT-${++serial}`;
          ids.push(id);
          await storeCdr221(db.pool, id, at, { party, status: valid ? 'queued' : 'invalid', with221 });
        }
        for (const [pick, change, at] of changes) {
          const id = ids[pick % ids.length];
          const body = JSON.stringify(plausibleCdr221(id ?? '', at));
          if (change === 'add-221') await db.pool.query('UPDATE cdrs SET cdr_221 = $2 WHERE id = $1', [id, body]);
          if (change === 'drop-221') await db.pool.query('UPDATE cdrs SET cdr_221 = NULL WHERE id = $1', [id]);
          if (change === 'drop-211') await db.pool.query('UPDATE cdrs SET cdr = NULL WHERE id = $1', [id]);
          if (change === 'rewrite-221') {
            await db.pool.query('UPDATE cdrs SET cdr_221 = $2 WHERE id = $1 AND cdr_221 IS NOT NULL', [id, body]);
          }
          if (change === 'invalidate') await db.pool.query(`UPDATE cdrs SET status = 'invalid' WHERE id = $1`, [id]);
          if (change === 'revalidate') await db.pool.query(`UPDATE cdrs SET status = 'queued' WHERE id = $1`, [id]);
          if (change === 'move') await db.pool.query('UPDATE cdrs SET last_updated = $2 WHERE id = $1', [id, at]);
          if (change === 'delete') await db.pool.query('DELETE FROM cdrs WHERE id = $1', [id]);
        }
        for (const [form, pullScope, from, to] of queries) {
          const counted = await countPullableCdrs(db.pool, pullScope, { from, to }, form);
          expect(counted).toBe(await plainCount(db.pool, pullScope, from, to, form));
        }
      },
    ),
    { numRuns: 100 },
  );
});

test('CDRs stored with a 2.2.1 form before migration 007 are counted once it runs', async () => {
  const older = await createTestDatabase({ migrate: false });
  try {
    await migrate(
      older.pool,
      listMigrations().filter((migration) => migration.version < 7),
    );
    await storeCdr221(older.pool, 'OLD-1', new Date('2023-12-31T23:59:59.999Z'));
    await storeCdr221(older.pool, 'OLD-2', new Date('2024-01-01T00:00:00Z'), { with221: false });
    await storeCdr221(older.pool, 'OLD-3', new Date('2024-01-01T05:30:00Z'), { status: 'invalid' });
    await storeCdr221(older.pool, 'OLD-4', new Date('2024-01-02T05:30:00Z'), { party: PARTIES[1] });
    await storeCdr221(older.pool, 'OLD-5', new Date('2024-01-02T05:45:00Z'));
    await migrate(older.pool);
    expect(await countPullableCdrs(older.pool, 'all', {}, '2.2.1')).toBe(3);
    expect(await countPullableCdrs(older.pool, 'all', {}, '2.1.1')).toBe(4);
    expect(await countPullableCdrs(older.pool, 'all', { from: '2024-01-01T00:00:00Z' }, '2.2.1')).toBe(2);
    expect(await countPullableCdrs(older.pool, [PARTIES[0]!], { from: '2023-12-01T00:00:00Z', to: '2024-02-01T00:00:00Z' }, '2.2.1')).toBe(
      2,
    );
  } finally {
    await older.drop();
  }
});
