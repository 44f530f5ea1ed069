/** Logs and Prometheus endpoints, for every process. */
import { z } from 'zod';
import { isLoopbackHost } from '../receivers/receiver-url-rules';
import { ConfigError, integerFromEnv, parseSection, type Env } from './env';

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
