import { Pool, types } from 'pg';

// Keep bigint counts (COUNT(*)) as numbers: they never pass 2^53 here.
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
