import { startApiServer } from '../api/server';
import { apiConfig, databaseConfig } from '../config';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { onShutdownSignal } from './process-lifecycle';

/** `cdrflow api`: the OCPI service GIREVE pulls CDRs from. */
export async function runApiCommand(): Promise<void> {
  const database = databaseConfig();
  const config = apiConfig();
  const pool = createPool(database.DATABASE_URL);
  await migrate(pool);
  const api = await startApiServer({ pool, config });
  onShutdownSignal(async () => {
    await api.close();
    await pool.end();
  });
  process.stderr.write(`cdrflow api: listening on ${api.url}, public base URL ${config.baseUrl}\n`);
}
