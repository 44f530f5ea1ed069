/**
 * Where Temporal is and how to reach it, from the environment: address, namespace, task
 * queue, and for a secured cluster or Temporal Cloud, TLS files (mTLS) or an API key.
 * Validated at start: a missing file or half a key pair names its variable; the API key
 * is never echoed.
 */
import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import { booleanFromEnv, ConfigError, parseSection, type Env } from './env';

export interface TemporalTlsFiles {
  /** The server's CA (PEM); absent: the system's trusted CAs (Temporal Cloud). */
  caFile?: string;
  /** Client certificate and key (PEM) for mTLS. */
  certFile?: string;
  keyFile?: string;
  /** The name the server's certificate must carry, when it differs from the address' host. */
  serverName?: string;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** null: plain gRPC (the dev server). */
  tls: TemporalTlsFiles | null;
  apiKey: string | null;
}

export function temporalConfig(env: Env = process.env): TemporalConfig {
  const section = parseSection(
    {
      TEMPORAL_ADDRESS: z
        .string()
        .regex(/^[^\s:]+:\d+$/, 'must be host:port')
        .default('127.0.0.1:7233'),
      TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
      TEMPORAL_TASK_QUEUE: z.string().min(1).default('cdrflow'),
      /** TLS with the system's CAs; implied by any TEMPORAL_TLS_* file or TEMPORAL_API_KEY. */
      TEMPORAL_TLS: booleanFromEnv.optional(),
      TEMPORAL_TLS_CA: z.string().optional(),
      TEMPORAL_TLS_CERT: z.string().optional(),
      TEMPORAL_TLS_KEY: z.string().optional(),
      TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
      /** Temporal Cloud API key (sent over TLS only). */
      TEMPORAL_API_KEY: z.string().regex(/^\S+$/, 'must not contain spaces').optional(),
    },
    env,
  );
  const problems: string[] = [];
  const files = {
    TEMPORAL_TLS_CA: section.TEMPORAL_TLS_CA,
    TEMPORAL_TLS_CERT: section.TEMPORAL_TLS_CERT,
    TEMPORAL_TLS_KEY: section.TEMPORAL_TLS_KEY,
  };
  for (const [variable, path] of Object.entries(files)) {
    if (path === undefined) continue;
    try {
      accessSync(path, constants.R_OK);
    } catch {
      problems.push(`${variable}: cannot read file ${path}`);
    }
  }
  if (section.TEMPORAL_TLS_CERT !== undefined && section.TEMPORAL_TLS_KEY === undefined) {
    problems.push('TEMPORAL_TLS_KEY: is required with TEMPORAL_TLS_CERT (the client certificate needs its private key)');
  }
  if (section.TEMPORAL_TLS_KEY !== undefined && section.TEMPORAL_TLS_CERT === undefined) {
    problems.push('TEMPORAL_TLS_CERT: is required with TEMPORAL_TLS_KEY (the private key needs its client certificate)');
  }
  const wantsTls =
    section.TEMPORAL_API_KEY !== undefined ||
    Object.values(files).some((path) => path !== undefined) ||
    section.TEMPORAL_TLS_SERVER_NAME !== undefined;
  if (section.TEMPORAL_TLS === 'false' && wantsTls) {
    problems.push('TEMPORAL_TLS: is false, but TEMPORAL_TLS_* files, TEMPORAL_TLS_SERVER_NAME or TEMPORAL_API_KEY need TLS');
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);

  const tls = wantsTls || section.TEMPORAL_TLS === 'true';
  return {
    address: section.TEMPORAL_ADDRESS,
    namespace: section.TEMPORAL_NAMESPACE,
    taskQueue: section.TEMPORAL_TASK_QUEUE,
    tls: tls
      ? {
          ...(section.TEMPORAL_TLS_CA ? { caFile: section.TEMPORAL_TLS_CA } : {}),
          ...(section.TEMPORAL_TLS_CERT ? { certFile: section.TEMPORAL_TLS_CERT } : {}),
          ...(section.TEMPORAL_TLS_KEY ? { keyFile: section.TEMPORAL_TLS_KEY } : {}),
          ...(section.TEMPORAL_TLS_SERVER_NAME ? { serverName: section.TEMPORAL_TLS_SERVER_NAME } : {}),
        }
      : null,
    apiKey: section.TEMPORAL_API_KEY ?? null,
  };
}
