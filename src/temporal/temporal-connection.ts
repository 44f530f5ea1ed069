/**
 * How every cdrflow process (and a CPO backend calling startCdr) reaches Temporal: the dev
 * server on loopback, a self-hosted cluster behind mTLS, or Temporal Cloud with an API
 * key. One description, read from the environment and validated at start, gives the
 * options of both the client `Connection` and the worker's `NativeConnection`.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { temporalConfig, type TemporalConfig } from '../config/temporal';
import { explainTemporalError, type TemporalTarget } from './temporal-errors';

export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** What both Connection.connect and NativeConnection.connect take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TemporalTls | true;
  apiKey?: string;
}

export function temporalConnectionOptions(config: TemporalConfig): TemporalConnectionOptions {
  const { tls } = config;
  if (!tls) return { address: config.address };
  const read = (path: string | undefined) => (path === undefined ? undefined : readFileSync(path));
  const settings: TemporalTls = {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.caFile ? { serverRootCACertificate: read(tls.caFile) } : {}),
    ...(tls.certFile && tls.keyFile ? { clientCertPair: { crt: read(tls.certFile)!, key: read(tls.keyFile)! } } : {}),
  };
  return {
    address: config.address,
    tls: Object.keys(settings).length > 0 ? settings : true,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  };
}

export function temporalTarget(config: TemporalConfig): TemporalTarget {
  return { address: config.address, namespace: config.namespace, tls: config.tls !== null };
}

/**
 * A connection to `config`'s server, made now: a server that cannot be reached is told
 * within the connect timeout, with why and what to check (a lazy connection would retry
 * for ~20 s at its first call before failing).
 */
export async function openTemporalConnection(config: TemporalConfig): Promise<Connection> {
  const connectionOptions: ConnectionOptions = { ...temporalConnectionOptions(config), connectTimeout: '10 seconds' };
  try {
    return await Connection.connect(connectionOptions);
  } catch (error) {
    throw explainTemporalError(error, temporalTarget(config));
  }
}

/** A client on `config`'s server and namespace; a failure says why and what to check. */
export async function openTemporalClient(config: TemporalConfig): Promise<Client> {
  return new Client({ connection: await openTemporalConnection(config), namespace: config.namespace });
}

/**
 * A Temporal client for cdrflow, from the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_TLS_*, TEMPORAL_API_KEY; see .env.example). A backend passes it to startCdr and
 * closes it with `client.connection.close()`. Throws ConfigError naming a bad variable, or
 * TemporalSetupError saying why the server could not be reached and what to check.
 */
export async function connectTemporalClient(env: Record<string, string | undefined> = process.env): Promise<Client> {
  return openTemporalClient(temporalConfig(env));
}
