/**
 * Credit CDRs (OCPI 2.2.1): a CDR of its own that cancels a sent one. Stored as a cdrs row
 * with only a 2.2.1 form (`cdr` is null: 2.1.1 has no credit CDRs, and its pull leaves these
 * rows out) and `credit_of` naming the CDR it cancels, and queued at the tail of its party's
 * queue in the same transaction: it reaches the receiver after the CDR it cancels, once.
 */
import type { Pool } from 'pg';
import type { CdrKey } from './cdr-key';
import { PULL_BARRIER_LOCK } from './cdr-repo';

export type StoredCredit =
  | {
      /** false: this credit was issued before (the command was run twice); nothing changed. */
      issued: boolean;
      status: string;
    }
  /** The original is not (or no longer) a CDR the receiver holds: nothing stored. */
  | { refused: string };

export async function storeCreditCdr(
  pool: Pool,
  original: CdrKey & { session_id: string },
  credit: { id: string; body: unknown },
): Promise<StoredCredit> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // The original stays as checked until the credit is queued: a re-send (of a CDR the hub
    // lost) cannot slip in between and land behind its own credit (see requeueRejectedCdr).
    const locked = await client.query<{ status: string; check_status: string | null }>(
      'SELECT status, check_status FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3 FOR UPDATE',
      [original.country_code, original.party_id, original.id],
    );
    const state = locked.rows[0];
    if (state?.status !== 'sent' || state.check_status === 'missing') {
      await client.query('ROLLBACK');
      return {
        refused: state?.check_status === 'missing'
          ? `CDR ${original.id} is missing at the receiver (reconciliation): re-send it first (cdrflow resend), or leave it`
          : `CDR ${original.id} is ${state?.status ?? 'not stored'}, not sent: only a CDR the receiver accepted is credited`,
      };
    }
    // Stamped like every insert (cdr-repo insertCdr): under the pull barrier, at the insert's own time.
    const inserted = await client.query<{ status: string }>(
      `WITH barrier AS (SELECT pg_advisory_xact_lock_shared(${PULL_BARRIER_LOCK}) AS held),
       stamp AS (SELECT date_trunc('milliseconds', clock_timestamp()) AS at FROM barrier)
       INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, cdr_221, credit_of, last_updated, status)
       SELECT $1, $2, $3, $4, NULL,
              jsonb_set($5::jsonb, '{last_updated}', to_jsonb(to_char(stamp.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
              $6, stamp.at, 'queued'
       FROM stamp
       ON CONFLICT (country_code, party_id, id) DO NOTHING
       RETURNING status`,
      [original.country_code, original.party_id, credit.id, original.session_id, JSON.stringify(credit.body), original.id],
    );
    if (inserted.rows.length === 0) {
      await client.query('ROLLBACK');
      const existing = await pool.query<{ status: string }>(
        'SELECT status FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3',
        [original.country_code, original.party_id, credit.id],
      );
      return { issued: false, status: existing.rows[0]?.status ?? 'unknown' };
    }
    await client.query(
      `INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
       VALUES ($1, $2, $3, $4, now())`,
      [original.country_code, original.party_id, credit.id, original.session_id],
    );
    await client.query('COMMIT');
    return { issued: true, status: 'queued' };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
