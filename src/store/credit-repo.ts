/**
 * Credit CDRs (OCPI 2.2.1): a CDR of its own that cancels a sent one. Stored as a cdrs row
 * with only a 2.2.1 form (`cdr` is null: 2.1.1 has no credit CDRs, and its pull leaves these
 * rows out) and `credit_of` naming the CDR it cancels, and queued at the tail of its party's
 * queue in the same transaction: it reaches the receiver after the CDR it cancels, once.
 */
import type { Pool } from 'pg';
import { type CdrKey } from '../ocpi/party';
import { insertCdr } from './cdr-repo';
import { enqueueAtTail } from './enqueue-at-tail';
import { liveReceiversOf, withReceiverSetShared } from './receiver-set-lock';

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
  /** The connections it goes to (the 2.2.1 receivers that took the original). */
  receivers: string[],
): Promise<StoredCredit> {
  // Nothing is written before a refusal: those paths commit an empty transaction.
  // The receivers held still, then the ones chosen checked again: one removed since has no lane.
  return withReceiverSetShared(pool, original, async (client): Promise<StoredCredit> => {
    const targets = await liveReceiversOf(client, original, receivers);
    if (targets.length === 0) {
      return {
        refused: `the receivers that took CDR ${original.id} (${receivers.join(', ')}) were removed meanwhile: nothing to credit there`,
      };
    }
    // The original stays as checked until the credit is queued: a re-send (of a CDR the hub
    // lost) cannot slip in between and land behind its own credit (see requeueRejectedCdr).
    const locked = await client.query<{ status: string; check_status: string | null }>(
      'SELECT status, check_status FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3 FOR UPDATE',
      [original.country_code, original.party_id, original.id],
    );
    const state = locked.rows[0];
    // Still taken by a receiver it goes to (a rejected CDR qualifies when another receiver took it).
    const taken = await client.query(
      `SELECT 1 FROM deliveries WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND connection = ANY($4) AND status = 'sent' LIMIT 1`,
      [original.country_code, original.party_id, original.id, targets],
    );
    const creditable = state?.status === 'sent' || (state?.status === 'rejected' && (taken.rowCount ?? 0) > 0);
    if (!creditable || state.check_status === 'missing') {
      return {
        refused:
          state?.check_status === 'missing'
            ? `CDR ${original.id} is missing at the receiver (reconciliation): re-send it first (cdrflow resend), or leave it`
            : `CDR ${original.id} is ${state?.status ?? 'not stored'}, not sent: only a CDR the receiver accepted is credited`,
      };
    }
    // Concurrent commands for the same credit wait on the original's lock above.
    const existing = await client.query<{ status: string }>(
      'SELECT status FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3',
      [original.country_code, original.party_id, credit.id],
    );
    if (existing.rows[0]) return { issued: false, status: existing.rows[0].status };
    await insertCdr(client, {
      country_code: original.country_code,
      party_id: original.party_id,
      id: credit.id,
      session_id: original.session_id,
      cdr: null,
      cdr_221: credit.body,
      credit_of: original.id,
      status: 'queued',
    });
    await enqueueAtTail(client, { ...original, id: credit.id }, targets);
    return { issued: true, status: 'queued' };
  });
}
