/**
 * For platforms that own the OCPI handshake in their own stack (they register at the hub and
 * issue its token themselves): the operations the credentials module performs, as functions
 * on cdrflow's Postgres. Each takes the caller's pg Pool on the cdrflow database.
 *
 *   await connectHub(pool, [{ country_code: 'FR', party_id: 'ABC' }], { name: 'gireve', ocpiVersion: '2.2.1',
 *     cdrsUrl, token: tokenB, checkUrlTemplate: null, toParty: { country_code: 'FR', party_id: '007' } });
 *   await issuePullClient(pool, { name: 'gireve', parties, token: tokenC });
 */
import type { Pool } from 'pg';
import { tokenDigest } from './api/transport/auth';
import type { Party } from './ocpi/party';
import type { ConnectionListing } from './receivers/receiver';
import { registerHubConnection, type HubConnection } from './store/connection-repo';
import { migrate } from './store/migrate';
import { addPullClient, revokePullClient, rotatePullClientToken, type PullClientListing } from './store/pull-client-repo';

export type { HubConnection, ConnectionListing, PullClientListing };

/** The hub's receiver (its CDR endpoint and the token it gave, OCPI token B) for every party, in one transaction. */
export async function connectHub(pool: Pool, parties: readonly Party[], connection: HubConnection): Promise<ConnectionListing[]> {
  await migrate(pool);
  return registerHubConnection(pool, parties, connection);
}

/** The token the hub pulls and checks with (OCPI token C), scoped to parties; accepted by the API within seconds. */
export async function issuePullClient(pool: Pool, client: { name: string; parties: Party[]; token: string }): Promise<PullClientListing> {
  await migrate(pool);
  return addPullClient(pool, { name: client.name, parties: client.parties, tokenSha256: tokenDigest(client.token) });
}

/** A new token C for a client: the old one is refused within seconds. False when there is no live client of that name. */
export async function rotatePullClient(pool: Pool, name: string, token: string): Promise<boolean> {
  return rotatePullClientToken(pool, name, tokenDigest(token));
}

/** The hub may no longer pull (an unregister). False when there is no live client of that name. */
export async function retirePullClient(pool: Pool, name: string): Promise<boolean> {
  return revokePullClient(pool, name);
}
