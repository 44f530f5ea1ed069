/** DATABASE_URL: where the system of record is. */
import { z } from 'zod';
import { parseSection, type Env } from './env';

export function databaseConfig(env: Env = process.env) {
  return parseSection(
    {
      DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL'),
    },
    env,
  );
}
