/**
 * The `connections` table (migration 006): where a CPO party's CDRs go. Tokens are read
 * only by the worker's router (src/iop/iop-router.ts); listings never carry them.
 */
import type { Pool } from 'pg';
import type { Party } from '../cdr/party';
import type { OcpiVersion } from '../connections/ocpi-version';

export interface ConnectionSettings {
  ocpiVersion: OcpiVersion;
  cdrsUrl: string;
  token: string;
  /** `{cdr_id}` is replaced; null: one path segment below cdrsUrl. */
  checkUrlTemplate: string | null;
}

export interface Connection extends ConnectionSettings {
  party: Party;
  name: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What operators see of a connection: everything but the token. */
export type ConnectionListing = Omit<Connection, 'token'>;

interface ConnectionRow {
  country_code: string;
  party_id: string;
  name: string;
  ocpi_version: OcpiVersion;
  cdrs_url: string;
  token: string;
  check_url_template: string | null;
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
  const pgError = error as { code?: string; constraint?: string };
  if (pgError.code === UNIQUE_VIOLATION && pgError.constraint === 'connections_one_enabled_per_party') {
    throw new ConnectionError(
      `${party.country_code}*${party.party_id} already has an enabled connection, and this version delivers a party's CDRs ` +
        'to one receiver: add the new one with --disabled, then `cdrflow connection enable` switches to it in one step',
    );
  }
  if (pgError.code === UNIQUE_VIOLATION) {
    throw new ConnectionError(`${party.country_code}*${party.party_id} already has a connection named ${name} (cdrflow connection update changes it)`);
  }
  throw error;
}

export async function addConnection(
  pool: Pool,
  connection: ConnectionSettings & { party: Party; name: string; enabled: boolean },
): Promise<ConnectionListing> {
  try {
    const result = await pool.query<ConnectionRow>(
      `INSERT INTO connections (country_code, party_id, name, ocpi_version, cdrs_url, token, check_url_template, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
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
      ],
    );
    return withoutToken(fromRow(result.rows[0]!));
  } catch (error) {
    return explainUniqueViolation(error, connection.party, connection.name);
  }
}

/** Changes the given settings (and enabled); undefined when the party has no such connection. */
export async function updateConnection(
  pool: Pool,
  party: Party,
  name: string,
  changes: Partial<ConnectionSettings> & { enabled?: boolean },
): Promise<ConnectionListing | undefined> {
  try {
    const result = await pool.query<ConnectionRow>(
      `UPDATE connections SET
         ocpi_version = coalesce($4, ocpi_version),
         cdrs_url = coalesce($5, cdrs_url),
         token = coalesce($6, token),
         check_url_template = CASE WHEN $7::boolean THEN $8 ELSE check_url_template END,
         enabled = coalesce($9, enabled),
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
      ],
    );
    const row = result.rows[0];
    return row ? withoutToken(fromRow(row)) : undefined;
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
 * Every connection of the party, the enabled one first, then the most recently changed:
 * the router's view (tokens included).
 */
export async function findPartyConnections(pool: Pool, party: Party): Promise<Connection[]> {
  const result = await pool.query<ConnectionRow>(
    `SELECT * FROM connections WHERE country_code = $1 AND party_id = $2
     ORDER BY enabled DESC, updated_at DESC, name`,
    [party.country_code, party.party_id],
  );
  return result.rows.map(fromRow);
}

/**
 * Makes `name` the party's receiver and disables the one before, in one transaction: there
 * is no moment without an enabled connection (when CDRs would wait) or with two.
 */
export async function switchToConnection(pool: Pool, party: Party, name: string): Promise<ConnectionListing | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `UPDATE connections SET enabled = false, updated_at = now()
       WHERE country_code = $1 AND party_id = $2 AND name <> $3 AND enabled`,
      [party.country_code, party.party_id, name],
    );
    const result = await client.query<ConnectionRow>(
      `UPDATE connections SET enabled = true, updated_at = CASE WHEN enabled THEN updated_at ELSE now() END
       WHERE country_code = $1 AND party_id = $2 AND name = $3 RETURNING *`,
      [party.country_code, party.party_id, name],
    );
    const row = result.rows[0];
    await client.query(row ? 'COMMIT' : 'ROLLBACK');
    return row ? withoutToken(fromRow(row)) : undefined;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    return explainUniqueViolation(error, party, name);
  } finally {
    client.release();
  }
}

/** Deletes a disabled connection (an enabled one is refused: disable or switch first). */
export async function removeConnection(pool: Pool, party: Party, name: string): Promise<'removed' | 'enabled' | 'unknown'> {
  const result = await pool.query<{ enabled: boolean; deleted: boolean }>(
    `WITH target AS (SELECT enabled FROM connections WHERE country_code = $1 AND party_id = $2 AND name = $3),
     deleted AS (DELETE FROM connections WHERE country_code = $1 AND party_id = $2 AND name = $3 AND NOT enabled RETURNING 1)
     SELECT (SELECT enabled FROM target) AS enabled, EXISTS (SELECT 1 FROM deleted) AS deleted`,
    [party.country_code, party.party_id, name],
  );
  const row = result.rows[0];
  if (row?.deleted) return 'removed';
  return row?.enabled === true ? 'enabled' : 'unknown';
}
