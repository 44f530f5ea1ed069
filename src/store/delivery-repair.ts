/**
 * The safety net under "every queue entry has a receiver that waits for it": deliveries
 * waiting for a connection that no longer exists (nothing serves that lane), and entries
 * whose stored CDR waits for no receiver (every receiver holds it already) would stay
 * unsettled forever, their session workflows never told. The writers avoid both; this
 * finds what slipped through (data from before those rules, a path not thought of), per
 * party under the receiver-set lock, so it never races a connection being added.
 */
import type { Pool, PoolClient } from 'pg';
import type { Party } from '../ocpi/party';
import { settleWhenDone } from './delivery-repo';
import { isLiveReceiverSql, withReceiverSetShared } from './receiver-set-lock';

export interface PartyRepair {
  party: Party;
  /** Deliveries set aside because their connection is gone. */
  lanesGone: number;
  /** Queue entries settled because no receiver waits for their CDR. */
  unserved: number;
}

/** A delivery (alias) whose connection exists (`default`: the party has no connection of its own). */
const LIVE_CONNECTION = (alias: string) => isLiveReceiverSql(`${alias}.connection`, `${alias}.country_code`, `${alias}.party_id`);

/** One pass over every party; at most `limit` CDRs repaired per party and kind. */
export async function repairDeliveries(pool: Pool, limit = 1_000): Promise<PartyRepair[]> {
  const parties = await pool.query<Party>(
    `SELECT DISTINCT d.country_code, d.party_id FROM deliveries d WHERE d.status = 'queued' AND NOT ${LIVE_CONNECTION('d')}
     UNION
     SELECT q.country_code, q.party_id FROM queue_entries q ${UNSERVED_ENTRY}`,
  );
  const repairs: PartyRepair[] = [];
  for (const party of parties.rows) {
    const repair = await repairParty(pool, party, limit);
    if (repair.lanesGone + repair.unserved > 0) repairs.push(repair);
  }
  return repairs;
}

/** Entries (alias q) whose CDR is stored, queued, and waits for no receiver. */
const UNSERVED_ENTRY = `
  JOIN cdrs c ON c.country_code = q.country_code AND c.party_id = q.party_id AND c.id = q.cdr_id
  WHERE NOT q.settled AND c.status = 'queued'
    AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.country_code = q.country_code AND d.party_id = q.party_id
                      AND d.cdr_id = q.cdr_id AND d.status = 'queued')`;

async function repairParty(pool: Pool, party: Party, limit: number): Promise<PartyRepair> {
  return withReceiverSetShared(pool, party, async (client) => {
    const params = [party.country_code, party.party_id, limit];
    const gone = await client.query<{ cdr_id: string }>(
      `UPDATE deliveries SET status = 'skipped', post_owner = NULL, updated_at = now(), last_error = 'its connection no longer exists'
       WHERE (country_code, party_id, cdr_id, connection) IN (
         SELECT d.country_code, d.party_id, d.cdr_id, d.connection FROM deliveries d
         WHERE d.country_code = $1 AND d.party_id = $2 AND d.status = 'queued' AND NOT ${LIVE_CONNECTION('d')}
         ORDER BY d.cdr_id LIMIT $3)
       RETURNING cdr_id`,
      params,
    );
    const unserved = await client.query<{ cdr_id: string }>(
      `SELECT q.cdr_id FROM queue_entries q ${UNSERVED_ENTRY} AND q.country_code = $1 AND q.party_id = $2
       ORDER BY q.cdr_id LIMIT $3 FOR UPDATE OF c`,
      params,
    );
    // Those set aside just now show up as unserved too: counted once, as lane-gone.
    const goneIds = new Set(gone.rows.map((row) => row.cdr_id));
    const unservedIds = unserved.rows.map((row) => row.cdr_id).filter((id) => !goneIds.has(id));
    await settleWhenDone(client, party, [...goneIds, ...unservedIds]);
    return { party, lanesGone: gone.rowCount ?? 0, unserved: unservedIds.length };
  });
}

/**
 * The entries among `ids` whose stored CDR waits for no receiver, settled at once (a replay
 * whose receivers all hold the CDR, say): run by the hand-in write, in its transaction.
 */
export async function settleUnservedEntries(client: Pool | PoolClient, party: Party, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const unserved = await client.query<{ cdr_id: string }>(
    `SELECT q.cdr_id FROM queue_entries q ${UNSERVED_ENTRY} AND q.country_code = $1 AND q.party_id = $2 AND q.cdr_id = ANY($3)
     ORDER BY q.cdr_id FOR UPDATE OF c`,
    [party.country_code, party.party_id, ids],
  );
  if (unserved.rowCount === 0) return 0;
  const settled = await settleWhenDone(
    client,
    party,
    unserved.rows.map((row) => row.cdr_id),
  );
  return settled.length;
}
