import { listMigrations, migrate } from '../../../src/store/migrate';
import { createPool } from '../../../src/store/pool';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(() => db.drop());

test('applies every migration once, even when several processes start together', async () => {
  const pools = [createPool(db.url, 2), createPool(db.url, 2), createPool(db.url, 2), createPool(db.url, 2)];
  try {
    const applied = await Promise.all(pools.map((pool) => migrate(pool)));
    const names = listMigrations().map((m) => m.name);
    expect(applied.flat().sort()).toEqual(names.sort());
    const rows = await db.pool.query('SELECT name FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r) => r.name)).toEqual(names);
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
});

test('a second run applies nothing', async () => {
  expect(await migrate(db.pool)).toEqual([]);
});

test('a failing migration is rolled back and named', async () => {
  const broken = [{ version: 999, name: '999_broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_column FROM cdrs;' }];
  await expect(migrate(db.pool, broken)).rejects.toThrow(/migration 999_broken failed/);
  const table = await db.pool.query("SELECT to_regclass('half_done') AS found");
  expect(table.rows[0].found).toBeNull();
});
