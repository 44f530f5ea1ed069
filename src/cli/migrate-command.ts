import { databaseConfig } from '../config/index';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';

/** `cdrflow migrate`: applies pending database migrations (worker and api also do it at start). */
export async function runMigrateCommand(): Promise<void> {
  const pool = createPool(databaseConfig().DATABASE_URL, 1);
  try {
    const applied = await migrate(pool);
    process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await pool.end();
  }
}
