/** The OCPI API GIREVE pulls from: its listener, pull tokens, page sizes and rate limits. */
import { z } from 'zod';
import { httpUrl } from '../receivers/receiver-url-rules';
import { ConfigError, integerFromEnv, parseSection, type Env } from './env';
import { readTokenList } from './token-list';

/** Requests per second of a rate limit: may be fractional (0.5 = one every two seconds). */
const rateFromEnv = z.coerce.number({ error: 'must be a number' }).positive('must be > 0').max(1_000_000, 'must be <= 1000000');

export function apiConfig(env: Env = process.env) {
  const section = parseSection(
    {
      API_PORT: integerFromEnv(0, 65_535).default(8080),
      API_HOST: z.string().min(1).default('127.0.0.1'),
      OCPI_BASE_URL: httpUrl.default('http://127.0.0.1:8080'),
      /**
       * Tokens that hubs present when they pull, comma-separated; `token=FR*ABC+FR*DEF`
       * limits one to those CPO parties' CDRs (syntax in src/config/token-list.ts). Unset:
       * only the clients registered in Postgres (cdrflow pull-client) may pull.
       */
      OCPI_TOKENS: z.string().optional(),
      OCPI_PULL_DEFAULT_LIMIT: integerFromEnv(1, 10_000).default(20),
      OCPI_PULL_MAX_LIMIT: integerFromEnv(1, 10_000).default(100),
      /** Per pull token: sustained requests per second, and how many may come at once. */
      OCPI_RATE_LIMIT_PER_SECOND: rateFromEnv.default(50),
      OCPI_RATE_LIMIT_BURST: integerFromEnv(1, 1_000_000).default(100),
      /** Per client IP, for requests without a valid token (probes, wrong tokens, scanners). */
      OCPI_RATE_LIMIT_PER_IP_PER_SECOND: rateFromEnv.default(5),
      OCPI_RATE_LIMIT_PER_IP_BURST: integerFromEnv(1, 1_000_000).default(20),
    },
    env,
  );
  const clients = section.OCPI_TOKENS === undefined ? [] : readTokenList('OCPI_TOKENS', section.OCPI_TOKENS);
  if (section.OCPI_PULL_DEFAULT_LIMIT > section.OCPI_PULL_MAX_LIMIT) {
    throw new ConfigError('invalid configuration:\n  OCPI_PULL_DEFAULT_LIMIT: must be <= OCPI_PULL_MAX_LIMIT');
  }
  return {
    port: section.API_PORT,
    host: section.API_HOST,
    baseUrl: section.OCPI_BASE_URL.replace(/\/+$/, ''),
    clients,
    defaultLimit: section.OCPI_PULL_DEFAULT_LIMIT,
    maxLimit: section.OCPI_PULL_MAX_LIMIT,
    rateLimit: {
      perClient: { perSecond: section.OCPI_RATE_LIMIT_PER_SECOND, burst: section.OCPI_RATE_LIMIT_BURST },
      perAddress: { perSecond: section.OCPI_RATE_LIMIT_PER_IP_PER_SECOND, burst: section.OCPI_RATE_LIMIT_PER_IP_BURST },
    },
  };
}
export type ApiConfig = ReturnType<typeof apiConfig>;
