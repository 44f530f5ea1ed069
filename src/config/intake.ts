import { z } from 'zod';
import { integerFromEnv, parseSection, type Env } from './env';
import { readTokenList } from './token-list';

/** The intake for CPO backends (POST /sessions/ended); off unless INTAKE_TOKENS is set. */
export function intakeConfig(env: Env = process.env) {
  const section = parseSection(
    {
      /**
       * Comma-separated tokens CPO backends present (Authorization: Bearer ...);
       * `token=FR*ABC+FR*DEF` may hand in only those CPO parties' sessions, as in OCPI_TOKENS.
       */
      INTAKE_TOKENS: z.string().optional(),
      INTAKE_HOST: z.string().min(1).default('127.0.0.1'),
      INTAKE_PORT: integerFromEnv(0, 65_535).default(8081),
    },
    env,
  );
  const listed = (section.INTAKE_TOKENS ?? '').replace(/[\s,]/g, '') !== '';
  const clients = listed ? readTokenList('INTAKE_TOKENS', section.INTAKE_TOKENS ?? '') : [];
  return { enabled: clients.length > 0, clients, host: section.INTAKE_HOST, port: section.INTAKE_PORT };
}
