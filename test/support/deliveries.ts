/**
 * Store-level views and shortcuts for tests that look at a party's queue and its lanes
 * (table deliveries, migration 009) directly.
 */
import type { Pool } from 'pg';
import type { Party } from '../../src/ocpi/party';
import { type CdrKey } from '../../src/ocpi/party';
import type { CdrStatus } from '../../src/store/cdr-repo';
import * as lanes from '../../src/store/delivery-repo';

/** Every entry of the party's queue in hand-in order, settled or not, with its CDR's overall status. */
export async function readQueueHead(
  pool: Pool,
  party: Party,
  limit: number,
): Promise<{ cdrId: string; sessionId: string; status: CdrStatus | null }[]> {
  const result = await pool.query<{ cdr_id: string; session_id: string; status: CdrStatus | null }>(
    `SELECT q.cdr_id, q.session_id, c.status FROM queue_entries q
     LEFT JOIN cdrs c ON c.country_code = q.country_code AND c.party_id = q.party_id AND c.id = q.cdr_id
     WHERE q.country_code = $1 AND q.party_id = $2 ORDER BY q.seq LIMIT $3`,
    [party.country_code, party.party_id, limit],
  );
  return result.rows.map((row) => ({ cdrId: row.cdr_id, sessionId: row.session_id, status: row.status }));
}

export interface DeliveryRow {
  status: string;
  attempts: number;
  last_error: string | null;
  post_started_at: Date | null;
  post_owner: string | null;
}

/** A CDR's delivery to one receiver (`default`: IOP_*), as stored. */
export async function deliveryRow(pool: Pool, key: CdrKey, connection = 'default'): Promise<DeliveryRow | undefined> {
  const result = await pool.query<DeliveryRow>(
    `SELECT status, attempts, last_error, post_started_at, post_owner FROM deliveries
     WHERE country_code = $1 AND party_id = $2 AND cdr_id = $3 AND connection = $4`,
    [key.country_code, key.party_id, key.id, connection],
  );
  return result.rows[0];
}

/** A stored CDR (no hand-in needed) made to wait for one receiver. */
async function ensureDelivery(pool: Pool, key: CdrKey, connection: string): Promise<void> {
  await pool.query(
    `INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq) VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING`,
    [key.country_code, key.party_id, key.id, connection],
  );
}

/** The receiver (`default` unless named) took the CDR: as a delivery run records it. */
export async function markSent(pool: Pool, key: CdrKey, location: string | null, connection = 'default'): Promise<void> {
  await ensureDelivery(pool, key, connection);
  await lanes.markSent(pool, { party: key, connection }, key.id, location);
}

/** The receiver (`default` unless named) refused the CDR: as a delivery run records it. */
export async function markRejected(pool: Pool, key: CdrKey, reason: string, connection = 'default'): Promise<void> {
  await ensureDelivery(pool, key, connection);
  await lanes.markRejected(pool, { party: key, connection }, key.id, reason);
}
