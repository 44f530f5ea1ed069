/** One receiver per hub per party (docs/connections.md, "One receiver per hub"). */
import type { PoolClient } from 'pg';
import { operatorId } from '../ocpi/party';
import { ConnectionError, fromRow, type ConnectionRow } from './connection-row';

/** Whether a second enabled connection of a party may point at the same hub (one known to de-duplicate). */
export interface SameHubPolicy {
  allowSameHub?: boolean;
}

/**
 * Two enabled connections of one party to one hub (the same host, or the same To party)
 * would send it every CDR twice, once per connection, with the same id: GIREVE does not
 * document that it de-duplicates them (one operator in 2.1.1 and 2.2.1 at once). Refused,
 * inside the change's transaction, unless the operator says the hub de-duplicates.
 */
export async function refuseSecondConnectionToHub(client: PoolClient, row: ConnectionRow, policy: SameHubPolicy): Promise<void> {
  if (!row.enabled || policy.allowSameHub) return;
  const changed = fromRow(row);
  const others = await client.query<ConnectionRow>(
    'SELECT * FROM connections WHERE country_code = $1 AND party_id = $2 AND name <> $3 AND enabled',
    [row.country_code, row.party_id, row.name],
  );
  const host = new URL(changed.cdrsUrl).host.toLowerCase();
  const sameHub = others.rows.map(fromRow).find((other) => {
    const sameTo = changed.toParty && other.toParty && operatorId(changed.toParty) === operatorId(other.toParty);
    return sameTo || new URL(other.cdrsUrl).host.toLowerCase() === host;
  });
  if (!sameHub) return;
  const operator = operatorId(changed.party);
  const what = sameHub.toParty ? `${new URL(sameHub.cdrsUrl).host}, to ${operatorId(sameHub.toParty)}` : new URL(sameHub.cdrsUrl).host;
  throw new ConnectionError(
    `${operator}/${changed.name}: connection ${sameHub.name} (OCPI ${sameHub.ocpiVersion}) already delivers to this hub (${what}): ` +
      `every CDR would reach it twice with the same id. Switch that connection instead ` +
      `(cdrflow connection update ${operator} ${sameHub.name} --version ${changed.ocpiVersion} --cdrs-url ... --token-file ...), ` +
      `or add --allow-same-hub if the hub is known to de-duplicate`,
  );
}
