/**
 * The `connections` table (migration 006): where a CPO party's CDRs go. Tokens are read
 * only by the worker's router (src/iop/iop-router.ts); listings never carry them.
 */
import type { Pool, PoolClient } from 'pg';
import type { Party } from '../ocpi/party';
import type { OcpiVersion } from '../ocpi/versions';
import { DEFAULT_RECEIVER, type Connection, type ConnectionListing, type ConnectionSettings } from '../receivers/receiver';
import { settleWhenDone } from './delivery-repo';
import { inTransaction } from './transaction';

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
): Promise<ConnectionListing & { backfilled: number }> {
  try {
    return await inTransaction(pool, async (client) => {
      const result = await client.query<ConnectionRow>(
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
      const backfilled = backfillFrom ? await backfill(client, connection.party, connection.name, connection.ocpiVersion, backfillFrom) : 0;
      return { ...withoutToken(fromRow(result.rows[0]!)), backfilled };
    });
  } catch (error) {
    return explainUniqueViolation(error, connection.party, connection.name);
  }
}

/**
 * Queues the party's CDRs stored since `from` for one receiver: each gets a delivery there,
 * numbered in hand-in order, and a queue entry again if it had left the queue (its overall
 * state goes back to `queued` until the new receiver has settled it too).
 */
async function backfill(client: PoolClient, party: Party, name: string, version: OcpiVersion, from: Date): Promise<number> {
  // $1, $2: the party; `from` and `is221`: the placeholders of the date and of "2.2.1 receiver".
  const candidates = (from: string, is221: string) => `
    SELECT c.id, c.session_id, c.created_at FROM cdrs c
    WHERE c.country_code = $1 AND c.party_id = $2 AND c.created_at >= ${from} AND c.status <> 'invalid'
      -- The form this receiver takes (a credit CDR has no 2.1.1 one; a session without
      -- cdr_token no 2.2.1 one): the others would only be set aside there.
      AND CASE WHEN ${is221} THEN c.cdr_221 IS NOT NULL ELSE c.cdr IS NOT NULL END
      -- A CDR still on its way to its queue (its hand-in not written yet) gets its deliveries then.
      AND (c.status <> 'queued' OR EXISTS (
        SELECT 1 FROM queue_entries q WHERE q.country_code = $1 AND q.party_id = $2 AND q.cdr_id = c.id))`;
  // Locked first: a lane settling one of them meanwhile commits before this reads it, or after.
  await client.query(`${candidates('$3', '$4')} ORDER BY c.id FOR UPDATE OF c`, [
    party.country_code,
    party.party_id,
    from,
    version === '2.2.1',
  ]);
  const result = await client.query(
    `WITH stored AS (
       SELECT candidate.*,
              (SELECT min(d.seq) FROM deliveries d
               WHERE d.country_code = $1 AND d.party_id = $2 AND d.cdr_id = candidate.id AND d.seq > 0) AS handed_in
       FROM (${candidates('$4', '$5')}) candidate),
     wanted AS (
       -- Hand-in order: the place its other deliveries took; before migration 009 (no place
       -- kept), the order stored, ahead of everything handed in since.
       SELECT * FROM stored ORDER BY handed_in IS NOT NULL, handed_in, created_at, id),
     numbered AS (
       SELECT wanted.*, nextval(pg_get_serial_sequence('queue_entries', 'seq')) AS seq FROM wanted),
     lanes AS (
       INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq)
       SELECT $1, $2, numbered.id, $3, numbered.seq FROM numbered
       ON CONFLICT DO NOTHING
       RETURNING cdr_id, seq),
     entries AS (
       INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at, seq)
       SELECT $1, $2, numbered.id, numbered.session_id, now(), numbered.seq FROM numbered JOIN lanes ON lanes.cdr_id = numbered.id
       ON CONFLICT (country_code, party_id, cdr_id) DO UPDATE SET settled = false),
     reopened AS (
       UPDATE cdrs SET status = 'queued', updated_at = now()
       WHERE country_code = $1 AND party_id = $2 AND id IN (SELECT cdr_id FROM lanes) AND status IN ('sent', 'rejected'))
     SELECT count(*) AS backfilled FROM lanes`,
    [party.country_code, party.party_id, name, from, version === '2.2.1'],
  );
  return Number(result.rows[0]?.backfilled ?? 0);
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
  | { outcome: 'unknown' };

/**
 * Deletes a disabled connection (an enabled one is refused: disable it first). The CDRs
 * that waited for it go to IOP_* when it was the party's last connection; otherwise they
 * will not be sent there, and those no other receiver waits for are settled.
 */
export async function removeConnection(pool: Pool, party: Party, name: string): Promise<Removal> {
  const params = [party.country_code, party.party_id, name];
  return inTransaction(pool, async (client): Promise<Removal> => {
    const target = (
      await client.query<{ enabled: boolean }>(
        'SELECT enabled FROM connections WHERE country_code = $1 AND party_id = $2 AND name = $3 FOR UPDATE',
        params,
      )
    ).rows[0];
    if (!target) return { outcome: 'unknown' };
    if (target.enabled) return { outcome: 'enabled' };
    await client.query('DELETE FROM connections WHERE country_code = $1 AND party_id = $2 AND name = $3', params);
    // The CDRs that waited for it, locked before their deliveries (as a lane settling them does).
    const waiting = await client.query<{ id: string }>(
      `SELECT id FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id IN (
         SELECT cdr_id FROM deliveries WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued')
       ORDER BY id FOR UPDATE`,
      params,
    );
    const waitingIds = waiting.rows.map((row) => row.id);
    const left = await client.query('SELECT 1 FROM connections WHERE country_code = $1 AND party_id = $2 LIMIT 1', params.slice(0, 2));
    if (left.rowCount === 0) {
      const moved = await client.query<{ cdr_id: string }>(
        `WITH waiting AS (
           DELETE FROM deliveries WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued'
           RETURNING cdr_id, seq)
         INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq)
         SELECT $1, $2, cdr_id, $4, seq FROM waiting
         -- IOP_* took some of them before (their history from before connections): not again.
         ON CONFLICT (country_code, party_id, cdr_id, connection) DO UPDATE SET status = 'queued', seq = excluded.seq
           WHERE deliveries.status = 'skipped'
         RETURNING cdr_id`,
        [...params, DEFAULT_RECEIVER],
      );
      // Those IOP_* already had settle now, with nothing left to wait for.
      const movedIds = new Set(moved.rows.map((row) => row.cdr_id));
      await settleWhenDone(
        client,
        party,
        waitingIds.filter((id) => !movedIds.has(id)),
      );
      return { outcome: 'removed', movedToDefault: moved.rowCount ?? 0, dropped: 0 };
    }
    const skipped = await client.query<{ cdr_id: string }>(
      `UPDATE deliveries SET status = 'skipped', post_owner = NULL, updated_at = now(),
         last_error = 'its connection was removed while it waited'
       WHERE country_code = $1 AND party_id = $2 AND connection = $3 AND status = 'queued'
       RETURNING cdr_id`,
      params,
    );
    await settleWhenDone(
      client,
      party,
      skipped.rows.map((row) => row.cdr_id),
    );
    return { outcome: 'removed', movedToDefault: 0, dropped: skipped.rowCount ?? 0 };
  });
}
