/**
 * The `connections` table (migration 006): where a CPO party's CDRs go. Tokens are read
 * only by the worker's router (src/delivery/receiver-router.ts); listings never carry them.
 */
import type { Pool, PoolClient } from 'pg';
import { operatorId, type Party } from '../ocpi/party';
import type { OcpiVersion } from '../ocpi/versions';
import type { Connection, ConnectionListing, ConnectionSettings } from '../receivers/receiver';
import { backfillLane, releaseWaitingDeliveries, type Backfill } from './lane-changes';
import { withReceiverSetExclusive } from './receiver-set-lock';

interface ConnectionRow {
  country_code: string;
  party_id: string;
  name: string;
  ocpi_version: OcpiVersion;
  cdrs_url: string;
  token: string;
  check_url_template: string | null;
  to_country_code: string | null;
  to_party_id: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

function fromRow(row: ConnectionRow): Connection {
  return {
    party: { country_code: row.country_code, party_id: row.party_id },
    name: row.name,
    ocpiVersion: row.ocpi_version,
    cdrsUrl: row.cdrs_url,
    token: row.token,
    checkUrlTemplate: row.check_url_template,
    toParty: row.to_country_code && row.to_party_id ? { country_code: row.to_country_code, party_id: row.to_party_id } : null,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function withoutToken({ token: _token, ...listing }: Connection): ConnectionListing {
  return listing;
}

/** Why a change to the table was refused, in words an operator can act on. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

const UNIQUE_VIOLATION = '23505';

function explainUniqueViolation(error: unknown, party: Party, name: string): never {
  const pgError = error as { code?: string };
  if (pgError.code === UNIQUE_VIOLATION) {
    throw new ConnectionError(
      `${party.country_code}*${party.party_id} already has a connection named ${name} (cdrflow connection update changes it)`,
    );
  }
  throw error;
}

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
async function refuseSecondConnectionToHub(client: PoolClient, row: ConnectionRow, policy: SameHubPolicy): Promise<void> {
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

/**
 * Adds a receiver. It gets the CDRs handed in from now on; with `backfillFrom`, also the
 * party's CDRs stored since then (not invalid; credit CDRs only for a 2.2.1 receiver), in
 * hand-in order and ahead of any later hand-in (one transaction). Returns the
 * connection and how many CDRs were backfilled.
 */
export async function addConnection(
  pool: Pool,
  connection: ConnectionSettings & { party: Party; name: string; enabled: boolean },
  backfillFrom?: Date,
  policy: SameHubPolicy = {},
): Promise<ConnectionListing & Backfill> {
  try {
    return await withReceiverSetExclusive(pool, connection.party, async (client) => {
      const result = await client.query<ConnectionRow>(
        `INSERT INTO connections (country_code, party_id, name, ocpi_version, cdrs_url, token, check_url_template, enabled,
                                  to_country_code, to_party_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING *`,
        [
          connection.party.country_code,
          connection.party.party_id,
          connection.name,
          connection.ocpiVersion,
          connection.cdrsUrl,
          connection.token,
          connection.checkUrlTemplate,
          connection.enabled,
          connection.toParty?.country_code ?? null,
          connection.toParty?.party_id ?? null,
        ],
      );
      await refuseSecondConnectionToHub(client, result.rows[0]!, policy);
      const backfill = backfillFrom
        ? await backfillLane(client, connection.party, connection.name, connection.ocpiVersion, backfillFrom)
        : { backfilled: 0, creditedLeftOut: 0 };
      return { ...withoutToken(fromRow(result.rows[0]!)), ...backfill };
    });
  } catch (error) {
    return explainUniqueViolation(error, connection.party, connection.name);
  }
}

/**
 * Changes the given settings (and enabled); undefined when the party has no such connection.
 * With `backfillFrom` (when enabling), also queues there the party's CDRs stored since then
 * that it has no delivery of (those handed in while it was disabled), as addConnection does.
 */
export async function updateConnection(
  pool: Pool,
  party: Party,
  name: string,
  changes: Partial<ConnectionSettings> & { enabled?: boolean },
  backfillFrom?: Date,
  policy: SameHubPolicy = {},
): Promise<(ConnectionListing & Backfill) | undefined> {
  try {
    // Enabling or disabling changes who receives the party's CDRs: no hand-in in between.
    return await withReceiverSetExclusive(pool, party, async (client) => {
      const result = await client.query<ConnectionRow>(
        `UPDATE connections SET
         ocpi_version = coalesce($4, ocpi_version),
         cdrs_url = coalesce($5, cdrs_url),
         token = coalesce($6, token),
         check_url_template = CASE WHEN $7::boolean THEN $8 ELSE check_url_template END,
         enabled = coalesce($9, enabled),
         to_country_code = CASE WHEN $10::boolean THEN $11 ELSE to_country_code END,
         to_party_id = CASE WHEN $10::boolean THEN $12 ELSE to_party_id END,
         updated_at = now()
       WHERE country_code = $1 AND party_id = $2 AND name = $3
       RETURNING *`,
        [
          party.country_code,
          party.party_id,
          name,
          changes.ocpiVersion ?? null,
          changes.cdrsUrl ?? null,
          changes.token ?? null,
          changes.checkUrlTemplate !== undefined,
          changes.checkUrlTemplate ?? null,
          changes.enabled ?? null,
          changes.toParty !== undefined,
          changes.toParty?.country_code ?? null,
          changes.toParty?.party_id ?? null,
        ],
      );
      const row = result.rows[0];
      if (!row) return undefined;
      // Only a change that could point it at another hub is checked (a token rotation is not).
      if (changes.enabled === true || changes.cdrsUrl !== undefined || changes.toParty !== undefined) {
        await refuseSecondConnectionToHub(client, row, policy);
      }
      const backfill = backfillFrom
        ? await backfillLane(client, party, name, row.ocpi_version, backfillFrom)
        : { backfilled: 0, creditedLeftOut: 0 };
      return { ...withoutToken(fromRow(row)), ...backfill };
    });
  } catch (error) {
    return explainUniqueViolation(error, party, name);
  }
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

export async function listConnections(pool: Pool, party?: Party): Promise<ConnectionListing[]> {
  const result = await pool.query<ConnectionRow>(
    `SELECT * FROM connections WHERE $1::text IS NULL OR (country_code = $1 AND party_id = $2)
     ORDER BY country_code, party_id, name`,
    [party?.country_code ?? null, party?.party_id ?? null],
  );
  return result.rows.map((row) => withoutToken(fromRow(row)));
}

/**
 * Every connection of the party in its lanes' order, oldest first (adding one never moves
 * the first lane): the router's view (tokens included).
 */
export async function findPartyConnections(pool: Pool, party: Party): Promise<Connection[]> {
  const result = await pool.query<ConnectionRow>(
    `SELECT * FROM connections WHERE country_code = $1 AND party_id = $2
     ORDER BY created_at, name`,
    [party.country_code, party.party_id],
  );
  return result.rows.map(fromRow);
}

/** What removing a connection did to the CDRs that waited for it. */
export type Removal =
  | {
      outcome: 'removed';
      /** Handed to IOP_* (`default`): the party has no connection left. */ movedToDefault: number;
      /** Will not be sent there. */ dropped: number;
    }
  | { outcome: 'enabled' }
  /** A run still holds a claim there (a POST on the wire, or its outcome not written yet). */
  | { outcome: 'in-flight'; retryInMs: number }
  | { outcome: 'unknown' };

/**
 * Deletes a disabled connection (an enabled one is refused: disable it first). The CDRs
 * that waited for it go to IOP_* when it was the party's last connection; otherwise they
 * will not be sent there, and those no other receiver waits for are settled. Refused while a
 * run's claim there is younger than `claimLeaseMs`: the outcome of a POST on the wire would
 * be lost (a claim older than that belongs to a run that died).
 */
export async function removeConnection(pool: Pool, party: Party, name: string, claimLeaseMs: number): Promise<Removal> {
  const params = [party.country_code, party.party_id, name];
  return withReceiverSetExclusive(pool, party, async (client): Promise<Removal> => {
    const target = (
      await client.query<{ enabled: boolean }>(
        'SELECT enabled FROM connections WHERE country_code = $1 AND party_id = $2 AND name = $3 FOR UPDATE',
        params,
      )
    ).rows[0];
    if (!target) return { outcome: 'unknown' };
    if (target.enabled) return { outcome: 'enabled' };
    const claim = await client.query<{ lapses_in_ms: number }>(
      `SELECT max(extract(epoch FROM post_started_at + make_interval(secs => $4) - now()) * 1000)::float8 AS lapses_in_ms
       FROM deliveries WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued'
         AND post_owner IS NOT NULL AND post_started_at > now() - make_interval(secs => $4)`,
      [...params, claimLeaseMs / 1000],
    );
    const lapsesInMs = claim.rows[0]?.lapses_in_ms;
    if (lapsesInMs != null) return { outcome: 'in-flight', retryInMs: Math.ceil(lapsesInMs) };
    await client.query('DELETE FROM connections WHERE country_code = $1 AND party_id = $2 AND name = $3', params);
    return { outcome: 'removed', ...(await releaseWaitingDeliveries(client, party, name)) };
  });
}
