/**
 * Which receiver a party's CDRs go to: the party's enabled connection (`cdrflow connection
 * add`, table `connections`), else the IOP_* variables (the one-connection shortcut, named
 * `default`). Looked up once per delivery run and per CDR built, so a connection added,
 * updated or disabled takes effect at the next run without a restart. One HTTP client (and
 * its keep-alive connections) per connection, replaced when the connection changes.
 */
import type { Pool } from 'pg';
import { operatorId, type Party } from '../cdr/party';
import { defaultCheckUrlTemplate } from '../connections/check-url';
import { findDeliveringConnection, type Connection } from '../store/connection-repo';
import { createIopClient, type IopClient, type IopClientOptions } from './iop-client';

/** The name the IOP_* shortcut goes by in statuses, metrics and search attributes. */
export const DEFAULT_CONNECTION = 'default';

export interface IopRoute {
  connection: string;
  client: IopClient;
}

export interface IopRouter {
  routeFor(party: Party): Promise<IopRoute>;
  close(): Promise<void>;
}

/** Every party to one client: the IOP_* shortcut alone (tests, and callers without a database). */
export function singleIopRouter(client: IopClient): IopRouter {
  const route = { connection: DEFAULT_CONNECTION, client };
  return { routeFor: async () => route, close: () => client.close() };
}

export function createIopRouter(
  pool: Pool,
  fallback: IopClient,
  settings: { requestTimeoutMs: number } & IopClientOptions,
): IopRouter {
  const clients = new Map<string, { version: number; client: IopClient }>();

  function clientOf(connection: Connection): IopClient {
    const key = `${operatorId(connection.party)}/${connection.name}`;
    const version = connection.updatedAt.getTime();
    const cached = clients.get(key);
    if (cached?.version === version) return cached.client;
    // Closing waits for the old client's requests under way: a run that holds it finishes.
    void cached?.client.close().catch(() => undefined);
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

  return {
    async routeFor(party) {
      const connection = await findDeliveringConnection(pool, party);
      return connection ? { connection: connection.name, client: clientOf(connection) } : { connection: DEFAULT_CONNECTION, client: fallback };
    },
    async close() {
      await Promise.all([fallback, ...[...clients.values()].map((entry) => entry.client)].map((client) => client.close().catch(() => undefined)));
    },
  };
}

export function asIopRouter(iop: IopRouter | IopClient): IopRouter {
  return 'routeFor' in iop ? iop : singleIopRouter(iop);
}
