/**
 * Which receiver a party's CDRs go to: the party's enabled connection (`cdrflow connection
 * add`, table `connections`), else, for a party without any connection, the IOP_* variables
 * (the one-connection shortcut, named `default`). A party whose connections are all disabled
 * gets no route: its CDRs wait, rather than go to the shared IOP_* receiver with the shared
 * token. Looked up once per delivery run and per CDR built, so a change takes effect at the
 * next run without a restart. One HTTP client (and its keep-alive connections) per
 * connection, replaced when the connection changes.
 */
import type { Pool } from 'pg';
import { operatorId, type Party } from '../cdr/party';
import { defaultCheckUrlTemplate } from '../connections/check-url';
import type { OcpiVersion } from '../connections/ocpi-version';
import { findPartyConnections, type Connection } from '../store/connection-repo';
import { createIopClient, type IopClient, type IopClientOptions } from './iop-client';

/** The name the IOP_* shortcut goes by in statuses, metrics and search attributes. */
export const DEFAULT_CONNECTION = 'default';

export interface IopRoute {
  connection: string;
  client: IopClient;
}

/** Where a party's CDRs would go, for building them: the connection and the version it speaks. */
export interface PartyPlan {
  connection: string;
  ocpiVersion: OcpiVersion;
  host: string;
}

/** The party has connections, none of them enabled: its CDRs wait. */
export class NoEnabledConnectionError extends Error {
  override readonly name = 'NoEnabledConnectionError';
  constructor(party: Party) {
    super(
      `${operatorId(party)} has connections but none is enabled: its CDRs wait ` +
        '(cdrflow connection enable, or connection remove to deliver through IOP_* again)',
    );
  }
}

export interface IopRouter {
  /** Throws NoEnabledConnectionError for a party whose connections are all disabled. */
  routeFor(party: Party): Promise<IopRoute>;
  /** The connection of that name, enabled or not (`default`: IOP_*): where an earlier POST went. */
  routeByName(party: Party, name: string): Promise<IopRoute | undefined>;
  planFor(party: Party): Promise<PartyPlan>;
  close(): Promise<void>;
}

/** Every party to one client: the IOP_* shortcut alone (tests, and callers without a database). */
export function singleIopRouter(client: IopClient): IopRouter {
  const route = { connection: DEFAULT_CONNECTION, client };
  return {
    routeFor: async () => route,
    routeByName: async (_party, name) => (name === DEFAULT_CONNECTION ? route : undefined),
    planFor: async () => ({ connection: DEFAULT_CONNECTION, ocpiVersion: client.ocpiVersion, host: client.host }),
    close: () => client.close(),
  };
}

export function asIopRouter(iop: IopRouter | IopClient): IopRouter {
  return 'routeFor' in iop ? iop : singleIopRouter(iop);
}

export function createIopRouter(
  pool: Pool,
  fallback: IopClient,
  settings: {
    requestTimeoutMs: number;
    /** How long a replaced client stays open for the runs still using it (a claim's lease). */
    retireAfterMs: number;
  } & IopClientOptions,
): IopRouter {
  const clients = new Map<string, { version: number; client: IopClient }>();
  const retiring = new Set<IopClient>();
  const defaultRoute: IopRoute = { connection: DEFAULT_CONNECTION, client: fallback };

  /** A replaced client is closed once no run can still be using it: closing it at once would fail their requests. */
  function retire(client: IopClient): void {
    retiring.add(client);
    const timer = setTimeout(() => {
      retiring.delete(client);
      void client.close().catch(() => undefined);
    }, settings.retireAfterMs);
    timer.unref();
  }

  function clientOf(connection: Connection): IopClient {
    const key = `${operatorId(connection.party)}/${connection.name}`;
    const version = connection.updatedAt.getTime();
    const cached = clients.get(key);
    if (cached?.version === version) return cached.client;
    if (cached) retire(cached.client);
    const client = createIopClient(
      {
        cdrsUrl: connection.cdrsUrl,
        token: connection.token,
        checkUrlTemplate: connection.checkUrlTemplate ?? defaultCheckUrlTemplate(connection.cdrsUrl),
        requestTimeoutMs: settings.requestTimeoutMs,
        ocpiVersion: connection.ocpiVersion,
      },
      settings,
    );
    clients.set(key, { version, client });
    return client;
  }

  const routeOf = (connection: Connection): IopRoute => ({ connection: connection.name, client: clientOf(connection) });

  return {
    async routeFor(party) {
      const [first] = await findPartyConnections(pool, party);
      if (!first) return defaultRoute;
      if (!first.enabled) throw new NoEnabledConnectionError(party);
      return routeOf(first);
    },
    async routeByName(party, name) {
      const named = (await findPartyConnections(pool, party)).find((connection) => connection.name === name);
      if (named) return routeOf(named);
      return name === DEFAULT_CONNECTION ? defaultRoute : undefined;
    },
    async planFor(party) {
      // Disabled only: the one changed last is what the operator is setting up.
      const [first] = await findPartyConnections(pool, party);
      if (!first) return { connection: DEFAULT_CONNECTION, ocpiVersion: fallback.ocpiVersion, host: fallback.host };
      return { connection: first.name, ocpiVersion: first.ocpiVersion, host: new URL(first.cdrsUrl).host };
    },
    async close() {
      const all = [fallback, ...retiring, ...[...clients.values()].map((entry) => entry.client)];
      await Promise.all(all.map((client) => client.close().catch(() => undefined)));
    },
  };
}
