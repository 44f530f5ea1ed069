/** Commands that need only the database: a small pool, the schema migrated, closed after. */
import type { Pool } from 'pg';

export async function withStore<T>(run: (pool: Pool) => Promise<T>): Promise<T> {
  const [{ databaseConfig }, { createPool }, { migrate }] = await Promise.all([
    import('../config/index'),
    import('../store/pool'),
    import('../store/migrate'),
  ]);
  const pool = createPool(databaseConfig().DATABASE_URL, 2);
  try {
    // The table may not exist yet when connections are set up before the first worker start.
    await migrate(pool);
    return await run(pool);
  } finally {
    await pool.end();
  }
}
