/**
 * Whether an operator paused a party's delivery (migration 011): the system of record of a
 * pause, so a queue workflow started again (terminated, reset, lost with Temporal's state)
 * is still paused.
 */
import type { Pool } from 'pg';
import type { Party } from '../ocpi/party';

/** Idempotent: pausing a paused party keeps the time of its first pause. */
export async function setPaused(pool: Pool, party: Party, paused: boolean): Promise<void> {
  await pool.query(
    paused
      ? 'INSERT INTO paused_parties (country_code, party_id) VALUES ($1, $2) ON CONFLICT DO NOTHING'
      : 'DELETE FROM paused_parties WHERE country_code = $1 AND party_id = $2',
    [party.country_code, party.party_id],
  );
}

/** When the party was paused; null when it is not. */
export async function pausedSince(pool: Pool, party: Party): Promise<Date | null> {
  const result = await pool.query<{ paused_at: Date }>('SELECT paused_at FROM paused_parties WHERE country_code = $1 AND party_id = $2', [
    party.country_code,
    party.party_id,
  ]);
  return result.rows[0]?.paused_at ?? null;
}
