/**
 * Reads and writes of the cdrs table, one statement per function. The table keeps each
 * CDR's body (sent to the IOP from here: workflows carry only ids) and its delivery state.
 */
import type { Pool, PoolClient } from 'pg';
import type { CdrKey } from '../ocpi/party';
import type { CheckStatus } from '../receivers/receiver';
import { isLiveReceiverSql, withReceiverSetShared } from './receiver-set-lock';

export type CdrStatus = 'queued' | 'sent' | 'rejected' | 'invalid';

export interface CdrRow extends CdrKey {
  session_id: string;
  cdr: unknown;
  cdr_221: unknown;
  /** For a credit CDR (OCPI 2.2.1), the id of the CDR it cancels. */
  credit_of: string | null;
  /** For a re-issued CDR (OCPI 2.2.1, sent after a credit), the id of the CDR it corrects. */
  reissue_of: string | null;
  last_updated: Date;
  status: CdrStatus;
  validation_errors: string[] | null;
  attempts: number;
  last_error: string | null;
  /** The connection its last POST went to: where an unknown outcome is looked up, and a sent CDR checked. */
  post_connection: string | null;
  next_attempt_at: Date | null;
  iop_location: string | null;
  sent_at: Date | null;
  check_status: CheckStatus | null;
  check_detail: string | null;
}

export interface NewCdr extends CdrKey {
  session_id: string;
  /** The CDR as built; for an invalid one, whatever could be built, kept for the operator. */
  cdr: unknown;
  /** Its OCPI 2.2.1 form, when the session carries what 2.2.1 needs (see migration 006). */
  cdr_221?: unknown;
  /** A credit CDR (only a 2.2.1 form, `cdr` null): the CDR it cancels. */
  credit_of?: string;
  /** A re-issued CDR (only a 2.2.1 form, `cdr` null): the CDR it corrects. */
  reissue_of?: string;
  /**
   * Left out, the store stamps the moment of the insert (see insertCdr): what every CDR
   * built by cdrflow gets. Given, it is kept as is (CDRs imported with their own history).
   */
  last_updated?: Date;
  status: 'queued' | 'invalid';
  validation_errors?: string[];
}

const KEY = 'country_code = $1 AND party_id = $2 AND id = $3';
const keyParams = (key: CdrKey) => [key.country_code, key.party_id, key.id];

/**
 * Advisory lock between inserts (shared) and pulls (exclusive, src/store/cdr-pull-query.ts),
 * so no pull misses a CDR that commits after it read: an insert stamps `last_updated` while
 * holding the lock, so a pull either waits for it to commit (and sees it) or reads first,
 * and then the CDR's `last_updated` is later than the moment the pull began reading: the
 * hub's next pull from that moment (or from the newest `last_updated` it saw) finds it.
 */
export const PULL_BARRIER_LOCK = 0x63647266_6c6f77n; // "cdrflow"

/**
 * Stores a newly built CDR. A CDR already stored (a rebuild of the same session) is kept
 * as it is, since it may already be on its way: the stored row is returned either way.
 * Without a given `last_updated`, the row and the CDR body get the insert's own time (to the
 * millisecond, as the body carries it) under the pull barrier: one statement, so the lock
 * is taken before the clock is read and released at commit.
 */
export async function insertCdr(pool: Pool | PoolClient, row: NewCdr): Promise<CdrRow> {
  // Named only for a re-issue (migration 016), so the plain insert works on any schema since 006.
  const reissue = row.reissue_of === undefined ? { column: '', value: '' } : { column: ', reissue_of', value: ', $11' };
  const inserted = await pool.query<CdrRow>(
    `WITH barrier AS (
       SELECT pg_advisory_xact_lock_shared(${PULL_BARRIER_LOCK}) AS held
     ), stamp AS (
       SELECT coalesce($6::timestamptz, date_trunc('milliseconds', clock_timestamp())) AS at FROM barrier
     )
     INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, cdr_221, credit_of, last_updated, status, validation_errors${reissue.column})
     SELECT $1, $2, $3, $4, ${stamped('$5')}, ${stamped('$9')}, $10, stamp.at, $7, $8${reissue.value}
     FROM stamp
     ON CONFLICT (country_code, party_id, id) DO NOTHING
     RETURNING *`,
    [
      row.country_code,
      row.party_id,
      row.id,
      row.session_id,
      // SQL NULL, not JSON null: a credit CDR has no 2.1.1 form (the 2.1.1 pull skips `cdr IS NULL`).
      row.cdr === null ? null : JSON.stringify(row.cdr),
      row.last_updated ?? null,
      row.status,
      row.validation_errors ? JSON.stringify(row.validation_errors) : null,
      row.cdr_221 === undefined ? null : JSON.stringify(row.cdr_221),
      row.credit_of ?? null,
      ...(row.reissue_of === undefined ? [] : [row.reissue_of]),
    ],
  );
  const stored = inserted.rows[0] ?? (await findCdr(pool, row));
  if (!stored) throw new Error(`CDR ${row.id} vanished right after insert`);
  return stored;
}

/** The body at `param` with its `last_updated` set to the insert's stamp (when the store stamps it). */
function stamped(param: string): string {
  return `CASE WHEN $6::timestamptz IS NULL AND jsonb_typeof(${param}::jsonb) = 'object' AND ${param}::jsonb ? 'last_updated'
            THEN jsonb_set(${param}::jsonb, '{last_updated}', to_jsonb(to_char(stamp.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
            ELSE ${param}::jsonb END`;
}

export async function findCdr(pool: Pool | PoolClient, key: CdrKey): Promise<CdrRow | undefined> {
  const result = await pool.query<CdrRow>(`SELECT * FROM cdrs WHERE ${KEY}`, keyParams(key));
  return result.rows[0];
}

export async function findCdrBySession(
  pool: Pool,
  party: { country_code: string; party_id: string },
  sessionId: string,
): Promise<CdrRow | undefined> {
  const result = await pool.query<CdrRow>(
    // The session's own CDR, not a credit that cancels it or a re-issue that corrects it (same session id).
    'SELECT * FROM cdrs WHERE country_code = $1 AND party_id = $2 AND session_id = $3 AND credit_of IS NULL AND reissue_of IS NULL',
    [party.country_code, party.party_id, sessionId],
  );
  return result.rows[0];
}

/** One CDR of a session's chain: its CDR, the credit that cancels it, the re-issue that corrects it. */
export interface ChainLink {
  id: string;
  kind: 'cdr' | 'credit' | 'reissue';
  status: CdrStatus;
}

export async function sessionChain(pool: Pool, party: { country_code: string; party_id: string }, sessionId: string): Promise<ChainLink[]> {
  const result = await pool.query<{ id: string; status: CdrStatus; credit_of: string | null; reissue_of: string | null }>(
    `SELECT id, status, credit_of, reissue_of FROM cdrs WHERE country_code = $1 AND party_id = $2 AND session_id = $3
     ORDER BY created_at, id`,
    [party.country_code, party.party_id, sessionId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    status: row.status,
    kind: row.credit_of ? 'credit' : row.reissue_of ? 'reissue' : 'cdr',
  }));
}

export async function recordCheck(pool: Pool, key: CdrKey, status: CheckStatus, detail: string): Promise<void> {
  await pool.query(`UPDATE cdrs SET check_status = $4, check_detail = $5, checked_at = now(), updated_at = now() WHERE ${KEY}`, [
    ...keyParams(key),
    status,
    detail,
  ]);
}

/**
 * Operator re-send: a rejected CDR, or a sent one the IOP no longer has (check_status
 * `missing`), goes back to queued, at the tail of its party's queue, keeping its attempt
 * history. A CDR already queued is accepted too and keeps its place, so a retried call
 * (its first run committed) still answers.
 */
export async function requeueRejectedCdr(pool: Pool, key: CdrKey): Promise<{ sessionId: string } | { refused: string } | undefined> {
  // A rejected CDR's entry may still be in the queue (kept until the rejection was reported):
  // it moves to the tail. One already queued again keeps its place. The receivers that
  // refused it (or lost it) get it again, in that new place; the others keep what they have.
  // A CDR no receiver took (its receivers were removed) goes to the party's receivers now.
  // Only receivers that still exist get it again: a re-send that would leave no receiver
  // waiting for it (the one that refused it was removed, the others hold it) is refused.
  // Locked first, so the state this decides on is the one it changes (a lane settling the CDR
  // at the same moment commits before or after, never in between).
  // Its receivers held still first (a connection added now waits, or is seen), then the CDR.
  return withReceiverSetShared(pool, key, async (client) => {
    await client.query(`SELECT 1 FROM cdrs WHERE ${KEY} FOR UPDATE`, keyParams(key));
    const result = await client.query<{ session_id: string }>(
      `WITH before AS (
         SELECT status, check_status, coalesce(post_connection, 'default') AS sent_to FROM cdrs WHERE ${KEY}),
       requeued AS (
         UPDATE cdrs SET status = 'queued', next_attempt_at = NULL, updated_at = now(),
                check_status = CASE WHEN check_status = 'missing' THEN NULL ELSE check_status END,
                check_detail = CASE WHEN check_status = 'missing' THEN 'was missing at the IOP; re-sent by an operator' ELSE check_detail END
         WHERE ${KEY} AND (status IN ('rejected', 'queued') OR (status = 'sent' AND check_status = 'missing'))
           -- A CDR already credited stays as it is: re-sent, it would reach the receiver after its credit.
           AND NOT EXISTS (SELECT 1 FROM cdrs credit WHERE credit.country_code = $1 AND credit.party_id = $2 AND credit.credit_of = $3)
         RETURNING session_id),
       tail AS (
         INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
         SELECT $1, $2, $3, session_id, now() FROM requeued
         ON CONFLICT (country_code, party_id, cdr_id) DO UPDATE
           SET seq = nextval(pg_get_serial_sequence('queue_entries', 'seq')), enqueued_at = now(), settled = false
           WHERE (SELECT status FROM before) IN ('rejected', 'sent')
              -- Still queued for another receiver, refused by this one: to the tail for it.
              OR EXISTS (SELECT 1 FROM deliveries d WHERE d.country_code = $1 AND d.party_id = $2 AND d.cdr_id = $3 AND d.status = 'rejected')
         RETURNING seq),
       lanes AS (
         UPDATE deliveries SET status = 'queued', seq = (SELECT seq FROM tail), next_attempt_at = NULL,
                post_started_at = NULL, post_owner = NULL, updated_at = now()
         WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND EXISTS (SELECT 1 FROM tail)
           AND ${isLiveReceiverSql('deliveries.connection', '$1', '$2')}
           AND (status = 'rejected'
                OR (status = 'sent' AND (SELECT check_status FROM before) = 'missing' AND connection = (SELECT sent_to FROM before)))
         RETURNING connection),
       fresh AS (
         INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq)
         SELECT $1, $2, $3, receiver, (SELECT seq FROM tail) FROM cdrflow_receivers($1, $2) AS receiver
         WHERE EXISTS (SELECT 1 FROM tail) AND NOT EXISTS (SELECT 1 FROM lanes)
         ON CONFLICT (country_code, party_id, cdr_id, connection) DO UPDATE
           SET status = 'queued', seq = excluded.seq, next_attempt_at = NULL, post_started_at = NULL, post_owner = NULL, updated_at = now()
           WHERE deliveries.status = 'skipped')
       SELECT session_id FROM requeued`,
      keyParams(key),
    );
    const row = result.rows[0];
    if (!row) return undefined;
    const waiting = await client.query(
      `SELECT 1 FROM deliveries WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND status = 'queued' LIMIT 1`,
      keyParams(key),
    );
    // Undone (the transaction rolls back): the CDR would wait in the queue for no receiver.
    if (waiting.rowCount === 0) throw new NoReceiverLeft(key);
    return { sessionId: row.session_id };
  }).catch((error: unknown) => {
    if (error instanceof NoReceiverLeft) return { refused: error.message };
    throw error;
  });
}

class NoReceiverLeft extends Error {
  constructor(key: CdrKey) {
    super(
      `no receiver of ${key.country_code}*${key.party_id} is left to send CDR ${key.id} to: the one that refused it was removed, and the others hold it`,
    );
  }
}

/**
 * Operator replay: forget a CDR that never reached the IOP (invalid or rejected), so it can
 * be rebuilt. Its deliveries go too, except to receivers that took it (a CDR rejected by one
 * receiver and taken by another is not sent to that one again). Kept when every receiver of
 * the party holds it already (the one that refused it was removed since): its rebuild would
 * wait in the queue for nobody.
 */
export async function deleteUnsentCdr(pool: Pool, key: CdrKey): Promise<'forgotten' | 'not-unsent' | 'every-receiver-holds-it'> {
  return withReceiverSetShared(pool, key, async (client) => {
    const state = await client.query<{ status: string; someone_waits: boolean }>(
      `SELECT status, EXISTS (
           SELECT 1 FROM cdrflow_receivers($1, $2) AS receiver
           WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.country_code = $1 AND d.party_id = $2 AND d.cdr_id = $3
                               AND d.connection = receiver AND d.status = 'sent')) AS someone_waits
       FROM cdrs WHERE ${KEY} FOR UPDATE`,
      keyParams(key),
    );
    const row = state.rows[0];
    if (!row || (row.status !== 'invalid' && row.status !== 'rejected')) return 'not-unsent';
    if (!row.someone_waits) return 'every-receiver-holds-it';
    await client.query(
      `WITH forgotten AS (
         DELETE FROM cdrs WHERE ${KEY} RETURNING id)
       DELETE FROM deliveries WHERE country_code = $1 AND party_id = $2 AND cdr_id IN (SELECT id FROM forgotten) AND status <> 'sent'`,
      keyParams(key),
    );
    return 'forgotten';
  });
}
