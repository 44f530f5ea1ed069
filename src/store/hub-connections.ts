/**
 * A hub's connections across parties: a registration connects every party of it at once, and
 * GIREVE 2.2.1's one platform token is rotated on every party's connection to it at once.
 */
import type { Pool } from 'pg';
import { operatorId, type Party } from '../ocpi/party';
import type { ConnectionListing, ConnectionSettings } from '../receivers/receiver';
import { ConnectionError, fromRow, withoutToken, type ConnectionRow } from './connection-row';
import { withReceiverSetsExclusive } from './receiver-set-lock';
import { refuseSecondConnectionToHub, type SameHubPolicy } from './same-hub-rule';

/** A hub's receiver, as a registration (OCPI credentials, or a platform's own handshake) learns it. */
export type HubConnection = ConnectionSettings & { name: string };

/**
 * Connects every party of a registration to a hub, in one transaction: each party's
 * connection `name` is created, or updated and enabled again (a new registration after an
 * unregister: what waited in its lane drains in hand-in order). Refused as a whole, changing
 * nothing, when a party has another enabled connection to that hub.
 */
export async function registerHubConnection(
  pool: Pool,
  parties: readonly Party[],
  connection: HubConnection,
  policy: SameHubPolicy = {},
): Promise<ConnectionListing[]> {
  if (parties.length === 0) throw new ConnectionError('a registration names at least one CPO party');
  return withReceiverSetsExclusive(pool, parties, async (client) => {
    const registered: ConnectionListing[] = [];
    for (const party of parties) {
      const result = await client.query<ConnectionRow>(
        `INSERT INTO connections (country_code, party_id, name, ocpi_version, cdrs_url, token, check_url_template, enabled,
                                  to_country_code, to_party_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, $9)
         ON CONFLICT (country_code, party_id, name) DO UPDATE SET
           ocpi_version = EXCLUDED.ocpi_version, cdrs_url = EXCLUDED.cdrs_url, token = EXCLUDED.token,
           check_url_template = EXCLUDED.check_url_template, enabled = true,
           to_country_code = EXCLUDED.to_country_code, to_party_id = EXCLUDED.to_party_id, updated_at = now()
         RETURNING *`,
        [
          party.country_code,
          party.party_id,
          connection.name,
          connection.ocpiVersion,
          connection.cdrsUrl,
          connection.token,
          connection.checkUrlTemplate,
          connection.toParty?.country_code ?? null,
          connection.toParty?.party_id ?? null,
        ],
      );
      const row = result.rows[0]!;
      await refuseSecondConnectionToHub(client, row, policy);
      registered.push(withoutToken(fromRow(row)));
    }
    return registered;
  });
}

/** A connection whose token a platform-wide rotation changed. */
export interface RotatedConnection {
  party: Party;
  name: string;
}

/**
 * GIREVE 2.2.1 gives one token per platform (one handshake, not one per CPO party): a new
 * token replaces it on every party's connection addressed to that hub, in one statement, so
 * no party is left on the old one. Each connection's next delivery run uses it.
 */
export async function rotateHubToken(pool: Pool, toParty: Party, token: string): Promise<RotatedConnection[]> {
  const result = await pool.query<{ country_code: string; party_id: string; name: string }>(
    `UPDATE connections SET token = $3, updated_at = now()
     WHERE to_country_code = $1 AND to_party_id = $2
     RETURNING country_code, party_id, name`,
    [toParty.country_code, toParty.party_id, token],
  );
  return result.rows
    .map((row) => ({ party: { country_code: row.country_code, party_id: row.party_id }, name: row.name }))
    .sort((a, b) => `${operatorId(a.party)}/${a.name}`.localeCompare(`${operatorId(b.party)}/${b.name}`));
}
