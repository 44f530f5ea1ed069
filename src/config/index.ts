/**
 * Configuration from environment variables, validated at start.
 * Each process reads only the section it needs, so the API does not demand the IOP token
 * and the worker does not demand the pull tokens. Errors name the variable and the rule;
 * token values are never echoed.
 */
import { z } from 'zod';
import { type PullClient, PullClientsError, readPullClients } from './token-list';
import { defaultCheckUrlTemplate } from '../receivers/receiver';
import { ocpiVersionSchema } from '../ocpi/versions';
import { checkUrlTemplateSchema, exposesTokenInClear, httpUrl, INSECURE_URL_RULE, isLoopbackHost } from '../receivers/receiver-url-rules';
import { booleanFromEnv, ConfigError, integerFromEnv, parseSection, type Env } from './env';

export { ConfigError } from './env';
export { temporalConfig, type TemporalConfig } from './temporal';

export function databaseConfig(env: Env = process.env) {
  return parseSection(
    {
      DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL'),
    },
    env,
  );
}

export function iopConfig(env: Env = process.env) {
  const section = parseSection(
    {
      IOP_CDRS_URL: httpUrl,
      IOP_TOKEN: z.string().min(1, 'must not be empty'),
      /** The OCPI version of the IOP_* receiver (parties with a connection of their own use its version). */
      IOP_OCPI_VERSION: ocpiVersionSchema.default('2.1.1'),
      /** Check CDR URL when the IOP gave no Location; `{cdr_id}` is replaced. */
      IOP_CDR_CHECK_URL_TEMPLATE: checkUrlTemplateSchema.optional(),
      IOP_REQUEST_TIMEOUT_MS: integerFromEnv(100, 120_000).default(10_000),
      IOP_RETRY_INITIAL_MS: integerFromEnv(10, 3_600_000).default(1_000),
      IOP_RETRY_MAX_MS: integerFromEnv(10, 86_400_000).default(60_000),
      /**
       * After a POST whose outcome is unknown, how long the IOP's "unknown CDR" is not yet
       * believed (an eventually consistent IOP may still be storing it); the CDR is re-sent only after.
       */
      IOP_CHECK_SETTLE_MS: integerFromEnv(0, 3_600_000).default(30_000),
      /** GIREVE demands HTTPS in production; plain HTTP only to loopback unless explicitly allowed. */
      IOP_ALLOW_INSECURE_HTTP: booleanFromEnv.default('false'),
    },
    env,
  );
  // The token goes to both URLs: neither may carry it in clear over the network.
  const urls = { IOP_CDRS_URL: section.IOP_CDRS_URL, IOP_CDR_CHECK_URL_TEMPLATE: section.IOP_CDR_CHECK_URL_TEMPLATE };
  const insecure = Object.entries(urls).filter(
    ([, value]) => value !== undefined && exposesTokenInClear(value, section.IOP_ALLOW_INSECURE_HTTP === 'true'),
  );
  if (insecure.length > 0) {
    const lines = insecure.map(([name]) => `  ${name}: ${INSECURE_URL_RULE}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  // Kept as configured: a receiver that routes only `.../cdrs/` answers `.../cdrs` with a redirect, forever.
  const cdrsUrl = section.IOP_CDRS_URL;
  return {
    cdrsUrl,
    token: section.IOP_TOKEN,
    ocpiVersion: section.IOP_OCPI_VERSION,
    checkUrlTemplate: section.IOP_CDR_CHECK_URL_TEMPLATE ?? defaultCheckUrlTemplate(cdrsUrl),
    requestTimeoutMs: section.IOP_REQUEST_TIMEOUT_MS,
    retryInitialMs: section.IOP_RETRY_INITIAL_MS,
    retryMaxMs: section.IOP_RETRY_MAX_MS,
    checkSettleMs: section.IOP_CHECK_SETTLE_MS,
  };
}
export type IopConfig = ReturnType<typeof iopConfig>;

export function cdrConfig(env: Env = process.env) {
  const section = parseSection(
    {
      /** GIREVE Eichrecht: send OCPI 2.2 signed_data in CDRs (only once GIREVE certified the implementation). */
      CDR_SEND_SIGNED_DATA: booleanFromEnv.default('false'),
    },
    env,
  );
  return { sendSignedData: section.CDR_SEND_SIGNED_DATA === 'true' };
}
export type CdrConfig = ReturnType<typeof cdrConfig>;

/**
 * The worker's upkeep: restarting lost queue workflows (src/worker/queue-repair.ts) and
 * reconciliation with the hub (src/worker/reconciliation.ts, off unless
 * IOP_RECONCILE_EVERY_MS is set).
 */
export function queueUpkeepConfig(env: Env = process.env) {
  const section = parseSection(
    {
      /** How often the worker restarts queue workflows found gone (0: only at start). */
      QUEUE_REPAIR_EVERY_MS: integerFromEnv(0, 86_400_000).default(300_000),
      /** How often sent CDRs are looked up at the IOP again (0: never, the default). */
      IOP_RECONCILE_EVERY_MS: integerFromEnv(0, 7 * 86_400_000).default(0),
      /** How far back a walk goes: CDRs sent within this many hours. */
      IOP_RECONCILE_WINDOW_HOURS: integerFromEnv(1, 24 * 90).default(72),
      /** Most lookups per second one walk sends to the IOP. */
      IOP_RECONCILE_PER_SECOND: z.coerce
        .number({ error: 'must be a number' })
        .positive('must be > 0')
        .max(50, 'must be <= 50 (lookups per second the IOP gets on top of deliveries)')
        .default(1),
    },
    env,
  );
  return {
    repairEveryMs: section.QUEUE_REPAIR_EVERY_MS,
    reconcile: {
      everyMs: section.IOP_RECONCILE_EVERY_MS,
      windowMs: section.IOP_RECONCILE_WINDOW_HOURS * 3_600_000,
      perSecond: section.IOP_RECONCILE_PER_SECOND,
    },
  };
}
export type QueueUpkeepConfig = ReturnType<typeof queueUpkeepConfig>;

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
       * limits one to those CPO parties' CDRs (syntax in src/api/pull-clients.ts).
       */
      OCPI_TOKENS: z.string().min(1, 'must list at least one token'),
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
  const clients = readTokenList('OCPI_TOKENS', section.OCPI_TOKENS);
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

/** Tokens with their optional party scopes (syntax in src/api/pull-clients.ts); errors name the variable. */
function readTokenList(variable: string, value: string): PullClient[] {
  try {
    return readPullClients(value);
  } catch (error) {
    if (!(error instanceof PullClientsError)) throw error;
    throw new ConfigError(`invalid configuration:\n  ${variable}: ${error.message}`);
  }
}

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

/** Pino's levels; `silent` turns logging off. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** When set, /metrics (API and worker) demands `Authorization: Bearer <METRICS_TOKEN>`. */
const metricsTokenFromEnv = z
  .string()
  .min(16, 'must be at least 16 characters')
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces')
  .optional();

/** Logs and the metrics token, for every process. */
export function observabilityConfig(env: Env = process.env) {
  const section = parseSection(
    {
      LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
      METRICS_TOKEN: metricsTokenFromEnv,
    },
    env,
  );
  return { logLevel: section.LOG_LEVEL, metricsToken: section.METRICS_TOKEN ?? null };
}
export type ObservabilityConfig = ReturnType<typeof observabilityConfig>;
export type LogLevelName = ObservabilityConfig['logLevel'];

/** Where one process serves Prometheus' GET /metrics. */
export interface MetricsListener {
  host: string;
  port: number;
}

/**
 * `<prefix>_METRICS_PORT` / `_HOST`: off unless the port is set, so two processes on one
 * host never fight over a port unless a deployer asked for one; loopback unless the host
 * says otherwise. The series name every CPO party with its queue: beyond loopback they are
 * served only behind METRICS_TOKEN, and a configuration that would do otherwise is refused.
 */
function metricsListenerConfig(prefix: 'WORKER' | 'API', env: Env): MetricsListener | null {
  const portVariable = `${prefix}_METRICS_PORT`;
  const hostVariable = `${prefix}_METRICS_HOST`;
  const section = parseSection(
    {
      [portVariable]: integerFromEnv(0, 65_535).optional(),
      [hostVariable]: z.string().min(1).default('127.0.0.1'),
      METRICS_TOKEN: metricsTokenFromEnv,
    },
    env,
  ) as Record<string, string | number | undefined>;
  const port = section[portVariable];
  const host = String(section[hostVariable]);
  if (port === undefined) return null;
  if (!isLoopbackHost(host) && section.METRICS_TOKEN === undefined) {
    throw new ConfigError(
      `invalid configuration:\n  ${hostVariable}: ${host} is beyond loopback, where /metrics would show every CPO's queue: ` +
        `set METRICS_TOKEN (16+ characters), or keep ${hostVariable} on loopback (127.0.0.1)`,
    );
  }
  return { host, port: Number(port) };
}

/** The worker's Prometheus endpoint: WORKER_METRICS_PORT / WORKER_METRICS_HOST. */
export function workerMetricsConfig(env: Env = process.env): MetricsListener | null {
  return metricsListenerConfig('WORKER', env);
}

/**
 * The API's Prometheus endpoint: API_METRICS_PORT / API_METRICS_HOST, its own port, never
 * the public OCPI one that GIREVE reaches.
 */
export function apiMetricsConfig(env: Env = process.env): MetricsListener | null {
  return metricsListenerConfig('API', env);
}
