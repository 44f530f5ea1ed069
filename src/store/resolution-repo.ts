/**
 * An operator's word on a delivery the receiver cannot settle by itself (migration 012): a
 * POST whose outcome is unknown, then checks that answer nothing clear, hold its lane. `held`
 * (the receiver has the CDR: seen in its back office, or it told us) records it sent;
 * `not-held` (it has not) clears the in-flight mark, so the next run POSTs it without asking.
 * Each is kept, with what the delivery read before, for `cdrflow status`.
 */
import type { Pool } from 'pg';
import type { CdrKey, Party } from '../ocpi/party';
import type { Lane } from '../receivers/receiver';
import { settleWhenDone, type SettledCdrState } from './delivery-repo';
import { inTransaction } from './transaction';

export type ResolutionVerdict = 'held' | 'not-held';

export type ResolveOutcome =
  | {
      resolved: true;
      /** The CDR's state when this settled its last waiting delivery (held only). */
      settled: SettledCdrState | undefined;
    }
  | { resolved: false; reason: string };

export interface RecordedResolution {
  connection: string;
  verdict: ResolutionVerdict;
  note: string | null;
  attempts: number;
  lastError: string | null;
  resolvedAt: Date;
}

export async function resolveDelivery(
  pool: Pool,
  lane: Lane,
  cdrId: string,
  verdict: ResolutionVerdict,
  note: string | null,
): Promise<ResolveOutcome> {
  const params = [lane.party.country_code, lane.party.party_id, cdrId, lane.connection];
  const refused = (reason: string): ResolveOutcome => ({ resolved: false, reason });
  return inTransaction(pool, async (client) => {
    // The CDR's row first, as every writer of its deliveries locks it (a run settling it waits, or went first).
    const cdr = await client.query(
      'SELECT 1 FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3 FOR UPDATE',
      params.slice(0, 3),
    );
    if (cdr.rowCount === 0) return refused(`no CDR ${cdrId} is stored for ${lane.party.country_code}*${lane.party.party_id}`);
    const found = await client.query<{
      status: string;
      post_owner: string | null;
      post_started_at: Date | null;
      attempts: number;
      last_error: string | null;
    }>(
      `SELECT status, post_owner, post_started_at, attempts, last_error FROM deliveries
       WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND connection = $4`,
      params,
    );
    const delivery = found.rows[0];
    if (!delivery) return refused(`CDR ${cdrId} has no delivery to ${lane.connection}`);
    if (delivery.status === 'sent') {
      return refused(
        verdict === 'not-held'
          ? `CDR ${cdrId} is recorded sent to ${lane.connection}: the receiver took it. If it lost it since, reconciliation finds it missing and cdrflow resend sends it again`
          : `CDR ${cdrId} is recorded sent to ${lane.connection} already: nothing to resolve`,
      );
    }
    if (delivery.status !== 'queued') {
      return refused(
        `CDR ${cdrId} is ${delivery.status} at ${lane.connection}, not waiting: nothing to resolve (a rejected one is re-sent with cdrflow resend)`,
      );
    }
    if (delivery.post_owner !== null) {
      return refused(
        `a delivery run holds CDR ${cdrId} at ${lane.connection} right now (it is being asked about or POSTed): try again in a minute`,
      );
    }
    if (verdict === 'not-held' && delivery.post_started_at === null) {
      return refused(
        `CDR ${cdrId} has no POST of unknown outcome at ${lane.connection}: it is POSTed at its next attempt anyway${delivery.last_error ? ` (last error: ${delivery.last_error})` : ''}`,
      );
    }
    await client.query(
      `INSERT INTO delivery_resolutions (country_code, party_id, cdr_id, connection, verdict, note, attempts, last_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [...params, verdict, note, delivery.attempts, delivery.last_error],
    );
    if (verdict === 'not-held') {
      await client.query(
        `UPDATE deliveries SET post_started_at = NULL, next_attempt_at = NULL, updated_at = now(),
           last_error = 'resolved by an operator: not held at the receiver, POSTed again'
         WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND connection = $4`,
        params,
      );
      return { resolved: true, settled: undefined };
    }
    await client.query(
      `WITH lane AS (
         UPDATE deliveries SET status = 'sent', sent_at = now(), post_started_at = NULL, next_attempt_at = NULL, updated_at = now(),
           last_error = 'resolved by an operator: held at the receiver'
         WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND connection = $4)
       UPDATE cdrs SET post_connection = coalesce(post_connection, $4), next_attempt_at = NULL, updated_at = now()
       WHERE country_code = $1 AND party_id = $2 AND id = $3`,
      params,
    );
    const [settled] = await settleWhenDone(client, lane.party, [cdrId]);
    return { resolved: true, settled };
  });
}

/** What operators said about the CDR's deliveries, oldest first. */
export async function resolutionsOf(pool: Pool, key: CdrKey): Promise<RecordedResolution[]> {
  const result = await pool.query<{
    connection: string;
    verdict: ResolutionVerdict;
    note: string | null;
    attempts: number;
    last_error: string | null;
    resolved_at: Date;
  }>(
    `SELECT connection, verdict, note, attempts, last_error, resolved_at FROM delivery_resolutions
     WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 ORDER BY resolved_at`,
    [key.country_code, key.party_id, key.id],
  );
  return result.rows.map((row) => ({
    connection: row.connection,
    verdict: row.verdict,
    note: row.note,
    attempts: row.attempts,
    lastError: row.last_error,
    resolvedAt: row.resolved_at,
  }));
}

/** How many deliveries of the party operators resolved, by verdict. */
export async function countResolutions(pool: Pool, party: Party): Promise<Record<ResolutionVerdict, number>> {
  const result = await pool.query<{ verdict: ResolutionVerdict; count: string }>(
    'SELECT verdict, count(*) AS count FROM delivery_resolutions WHERE country_code = $1 AND party_id = $2 GROUP BY verdict',
    [party.country_code, party.party_id],
  );
  const counts: Record<ResolutionVerdict, number> = { held: 0, 'not-held': 0 };
  for (const row of result.rows) counts[row.verdict] = Number(row.count);
  return counts;
}
