/**
 * The `connections` table (migration 006): where a CPO party's CDRs go. Tokens are read
 * only by the worker's router (src/delivery/receiver-router.ts); listings never carry them.
 */
import type { Pool } from 'pg';
import type { Party } from '../ocpi/party';
import type { Connection, ConnectionListing, ConnectionSettings } from '../receivers/receiver';
import { ConnectionError, fromRow, withoutToken, type ConnectionRow } from './connection-row';
import { backfillLane, releaseWaitingDeliveries, type Backfill } from './lane-changes';
import { withReceiverSetExclusive } from './receiver-set-lock';
import { refuseSecondConnectionToHub, type SameHubPolicy } from './same-hub-rule';

export { ConnectionError } from './connection-row';
export type { SameHubPolicy } from './same-hub-rule';
export { registerHubConnection, rotateHubToken, type HubConnection, type RotatedConnection } from './hub-connections';

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
