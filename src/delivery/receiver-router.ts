/**
 * Where a party's CDRs go: each of its connections (`cdrflow connection add`, table
 * `connections`) is a lane of its own; a party without any connection delivers through the
 * IOP_* variables (the one-connection shortcut, named `default`). A disabled connection's
 * lane holds what waits for it (never falls back to IOP_*). Looked up once per delivery run
 * and per CDR built, so a change takes effect at the next run without a restart. One HTTP
 * client (and its keep-alive connections) per connection, replaced when the connection
 * changes.
 */
import type { Pool } from 'pg';
import { operatorId, type Party } from '../ocpi/party';
import { defaultCheckUrlTemplate } from '../receivers/receiver';
import { DEFAULT_RECEIVER } from '../receivers/receiver';
import type { OcpiVersion } from '../ocpi/versions';
import { findPartyConnections } from '../store/connection-repo';
import { type Connection } from '../receivers/receiver';
import { hasWaitingDeliveries } from '../store/queue-repo';
import { createIopClient, type IopClient, type IopClientOptions } from '../iop/iop-client';

export { DEFAULT_RECEIVER };

export interface ReceiverRoute {
  connection: string;
  client: IopClient;
}

/** One receiver of a party's CDRs: its route, or why what waits for it is held. */
export interface LaneRoute {
  connection: string;
  ocpiVersion: OcpiVersion;
  host: string;
  /** 2.2.1: the party its requests are addressed to (a hub's own), null: each CDR's eMSP. */
  toParty: Party | null;
  /** Absent while the connection is disabled. */
  route?: ReceiverRoute;
  /** Why the lane holds its CDRs (the connection is disabled). */
  held?: string;
}

/** A lane that is disabled: its CDRs wait. */
export function heldReason(party: Party, connection: string): string {
  return (
    `connection ${connection} of ${operatorId(party)} is disabled: the CDRs waiting for it stay queued ` +
    `(cdrflow connection enable ${operatorId(party)} ${connection}, or connection remove to stop delivering them there)`
  );
}

export interface ReceiverRouter {
  /**
   * Every lane of the party, oldest connection first (`default` alone without connections,
   * or first while CDRs handed in before the party's first connection wait for it).
   */
  lanesFor(party: Party): Promise<LaneRoute[]>;
  /** The connection of that name, enabled or not (`default`: IOP_*): where a CDR went. */
  routeByName(party: Party, name: string): Promise<ReceiverRoute | undefined>;
  close(): Promise<void>;
}

/** Every party to one client: the IOP_* shortcut alone (tests, and callers without a database). */
export function singleReceiverRouter(client: IopClient): ReceiverRouter {
  const route = { connection: DEFAULT_RECEIVER, client };
  return {
    lanesFor: async () => [
      { connection: DEFAULT_RECEIVER, ocpiVersion: client.ocpiVersion, host: client.host, toParty: client.toParty, route },
    ],
    routeByName: async (_party, name) => (name === DEFAULT_RECEIVER ? route : undefined),
    close: () => client.close(),
  };
}

export function createReceiverRouter(
  pool: Pool,
  fallback: IopClient,
  settings: {
    requestTimeoutMs: number;
    /** How long a replaced client stays open for the runs still using it (a claim's lease). */
    retireAfterMs: number;
  } & IopClientOptions,
): ReceiverRouter {
  const clients = new Map<string, { version: number; client: IopClient }>();
  const retiring = new Set<IopClient>();
  const defaultRoute: ReceiverRoute = { connection: DEFAULT_RECEIVER, client: fallback };

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
        toParty: connection.toParty ?? null,
        requestTimeoutMs: settings.requestTimeoutMs,
        ocpiVersion: connection.ocpiVersion,
      },
      settings,
    );
    clients.set(key, { version, client });
    return client;
  }

  const routeOf = (connection: Connection): ReceiverRoute => ({ connection: connection.name, client: clientOf(connection) });

  return {
    async lanesFor(party) {
      const defaultLane = {
        connection: DEFAULT_RECEIVER,
        ocpiVersion: fallback.ocpiVersion,
        host: fallback.host,
        toParty: fallback.toParty,
        route: defaultRoute,
      };
      const connections = await findPartyConnections(pool, party);
      if (connections.length === 0) return [defaultLane];
      const lanes = connections.map((connection) => ({
        connection: connection.name,
        ocpiVersion: connection.ocpiVersion,
        host: new URL(connection.cdrsUrl).host,
        toParty: connection.toParty ?? null,
        ...(connection.enabled ? { route: routeOf(connection) } : { held: heldReason(party, connection.name) }),
      }));
      // CDRs handed in before the party's first connection still go out through IOP_*.
      return (await hasWaitingDeliveries(pool, party, DEFAULT_RECEIVER)) ? [defaultLane, ...lanes] : lanes;
    },
    async routeByName(party, name) {
      const named = (await findPartyConnections(pool, party)).find((connection) => connection.name === name);
      if (named) return routeOf(named);
      return name === DEFAULT_RECEIVER ? defaultRoute : undefined;
    },
    async close() {
      const all = [fallback, ...retiring, ...[...clients.values()].map((entry) => entry.client)];
      await Promise.all(all.map((client) => client.close().catch(() => undefined)));
    },
  };
}
