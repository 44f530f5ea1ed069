/**
 * Reads and writes of the cdrs table, one statement per function. The table keeps each
 * CDR's body (sent to the IOP from here: workflows carry only ids) and its delivery state.
 */
import type { Pool, PoolClient } from 'pg';
import type { CdrKey } from './cdr-key';

export type CdrStatus = 'queued' | 'sent' | 'rejected' | 'invalid';
/** missing: a sent CDR the IOP no longer has, found by reconciliation (src/worker/reconciliation.ts). */
export type CheckStatus = 'match' | 'mismatch' | 'not_possible' | 'missing';

export interface CdrRow extends CdrKey {
  session_id: string;
  cdr: unknown;
  cdr_221: unknown;
  /** For a credit CDR (OCPI 2.2.1), the id of the CDR it cancels. */
  credit_of: string | null;
  last_updated: Date;
  status: CdrStatus;
  validation_errors: string[] | null;
  attempts: number;
  last_error: string | null;
  last_attempt_at: Date | null;
  post_started_at: Date | null;
  post_owner: string | null;
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
  const inserted = await pool.query<CdrRow>(
    `WITH barrier AS (
       SELECT pg_advisory_xact_lock_shared(${PULL_BARRIER_LOCK}) AS held
     ), stamp AS (
       SELECT coalesce($6::timestamptz, date_trunc('milliseconds', clock_timestamp())) AS at FROM barrier
     )
     INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, cdr_221, credit_of, last_updated, status, validation_errors)
     SELECT $1, $2, $3, $4, ${stamped('$5')}, ${stamped('$9')}, $10, stamp.at, $7, $8
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
    // The session's own CDR, not a credit CDR that cancels it (same session id).
    'SELECT * FROM cdrs WHERE country_code = $1 AND party_id = $2 AND session_id = $3 AND credit_of IS NULL',
    [party.country_code, party.party_id, sessionId],
  );
  return result.rows[0];
}

/**
 * One failed delivery attempt, for operators: count, reason, when the next one is due. It
 * ends the run's claim on the CDR. An attempt whose outcome is unknown (timeout, reset)
 * keeps its in-flight mark (post_started_at), so the next attempt asks the IOP first even
 * if this worker dies before the workflow learns of it.
 */
export async function recordFailedAttempt(
  pool: Pool,
  key: CdrKey,
  error: string,
  nextAttemptAt: Date,
  outcomeUnknown: boolean,
  /** When the POST whose outcome is unknown started (the IOP may have the CDR since then). */
  postStartedAt: Date | null,
): Promise<void> {
  await pool.query(
    `UPDATE cdrs SET attempts = attempts + 1, last_error = $4, last_attempt_at = now(), next_attempt_at = $5,
       post_started_at = CASE WHEN $6 THEN coalesce($7, post_started_at) ELSE NULL END, post_owner = NULL, updated_at = now()
     WHERE ${KEY} AND status = 'queued'`,
    [...keyParams(key), error, nextAttemptAt, outcomeUnknown, postStartedAt],
  );
}

/**
 * The IOP took the CDR. Its queue entry stays until the queue workflow has told the
 * session workflow (see removeSettledEntries): a run whose result is lost (its worker
 * died) leaves the news in the store for the next run to report.
 */
export async function markSent(pool: Pool, key: CdrKey, location: string | null): Promise<void> {
  await pool.query(
    `UPDATE cdrs SET status = 'sent', attempts = attempts + 1, iop_location = $4, sent_at = now(),
       last_attempt_at = now(), next_attempt_at = NULL, post_started_at = NULL, post_owner = NULL, updated_at = now()
     WHERE ${KEY} AND status = 'queued'`,
    [...keyParams(key), location],
  );
}

/** The IOP refused the CDR as invalid (re-sendable after a fix); its queue entry stays as for markSent. */
export async function markRejected(pool: Pool, key: CdrKey, reason: string): Promise<void> {
  await pool.query(
    `UPDATE cdrs SET status = 'rejected', attempts = attempts + 1, last_error = $4,
       last_attempt_at = now(), next_attempt_at = NULL, post_started_at = NULL, post_owner = NULL, updated_at = now()
     WHERE ${KEY} AND status = 'queued'`,
    [...keyParams(key), reason],
  );
}

export async function recordCheck(pool: Pool, key: CdrKey, status: CheckStatus, detail: string): Promise<void> {
  await pool.query(
    `UPDATE cdrs SET check_status = $4, check_detail = $5, checked_at = now(), updated_at = now() WHERE ${KEY}`,
    [...keyParams(key), status, detail],
  );
}

/**
 * Operator re-send: a rejected CDR, or a sent one the IOP no longer has (check_status
 * `missing`), goes back to queued, at the tail of its party's queue, keeping its attempt
 * history. A CDR already queued is accepted too and keeps its place, so a retried call
 * (its first run committed) still answers.
 */
export async function requeueRejectedCdr(pool: Pool, key: CdrKey): Promise<{ sessionId: string } | undefined> {
  // A rejected CDR's entry may still be in the queue (kept until the rejection was reported):
  // it moves to the tail. One already queued again keeps its place.
  const result = await pool.query<{ session_id: string }>(
    `WITH before AS (
       SELECT status FROM cdrs WHERE ${KEY}),
     requeued AS (
       UPDATE cdrs SET status = 'queued', next_attempt_at = NULL, post_started_at = NULL, post_owner = NULL, updated_at = now(),
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
         SET seq = nextval(pg_get_serial_sequence('queue_entries', 'seq')), enqueued_at = now()
         WHERE (SELECT status FROM before) IN ('rejected', 'sent'))
     SELECT session_id FROM requeued`,
    keyParams(key),
  );
  const row = result.rows[0];
  return row ? { sessionId: row.session_id } : undefined;
}

/** Operator replay: forget a CDR that never reached the IOP (invalid or rejected), so it can be rebuilt. */
export async function deleteUnsentCdr(pool: Pool, key: CdrKey): Promise<boolean> {
  const result = await pool.query(`DELETE FROM cdrs WHERE ${KEY} AND status IN ('invalid', 'rejected')`, keyParams(key));
  return (result.rowCount ?? 0) > 0;
}
