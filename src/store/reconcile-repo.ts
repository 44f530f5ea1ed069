/**
 * The store's side of reconciliation with the hub (src/worker/reconciliation.ts): the CDRs
 * sent in a recent window, walked in the order they were sent, and what the IOP said.
 */
import type { Pool } from 'pg';
import { type CdrKey } from '../ocpi/party';

export interface SentCdr extends CdrKey {
  sentAt: Date;
  /** The connection it was sent through (null: before connections existed). */
  postConnection: string | null;
  /** The eMSP that owns its token (from its 2.2.1 form), for 2.2.1 routing headers. */
  emsp: { country_code: string; party_id: string } | null;
}

/** Where a walk is: after this CDR (in sent order). */
export type SentPosition = { sentAt: Date; country_code: string; party_id: string; id: string } | null;

/** Up to `limit` CDRs sent (to at least one receiver) since `since`, after `after`, not already flagged missing. */
export async function sentCdrsAfter(pool: Pool, since: Date, after: SentPosition, limit: number): Promise<SentCdr[]> {
  const result = await pool.query<{
    country_code: string;
    party_id: string;
    id: string;
    sent_at: Date;
    post_connection: string | null;
    emsp_country_code: string | null;
    emsp_party_id: string | null;
  }>(
    `SELECT country_code, party_id, id, sent_at, post_connection,
            cdr_221 #>> '{cdr_token,country_code}' AS emsp_country_code, cdr_221 #>> '{cdr_token,party_id}' AS emsp_party_id
     FROM cdrs
     -- Rejected with a sent_at: refused by one receiver, taken by another (post_connection).
     WHERE status IN ('sent', 'rejected') AND sent_at IS NOT NULL AND sent_at >= $1 AND check_status IS DISTINCT FROM 'missing'
       AND ($2::timestamptz IS NULL OR (sent_at, country_code, party_id, id) > ($2::timestamptz, $3, $4, $5))
     ORDER BY sent_at, country_code, party_id, id
     LIMIT $6`,
    [since, after?.sentAt ?? null, after?.country_code ?? '', after?.party_id ?? '', after?.id ?? '', limit],
  );
  return result.rows.map((row) => ({
    country_code: row.country_code,
    party_id: row.party_id,
    id: row.id,
    sentAt: row.sent_at,
    postConnection: row.post_connection,
    emsp: row.emsp_country_code && row.emsp_party_id ? { country_code: row.emsp_country_code, party_id: row.emsp_party_id } : null,
  }));
}

/** The IOP answered "unknown CDR" for a CDR it accepted: flagged for an operator (`cdrflow resend`). */
export async function markMissingAtIop(pool: Pool, key: CdrKey): Promise<void> {
  await pool.query(
    `UPDATE cdrs SET check_status = 'missing', checked_at = now(), updated_at = now(),
            check_detail = 'the IOP no longer has this CDR (reconciliation); re-send it with cdrflow resend'
     WHERE country_code = $1 AND party_id = $2 AND id = $3 AND status IN ('sent', 'rejected')`,
    [key.country_code, key.party_id, key.id],
  );
}
