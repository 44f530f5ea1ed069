/** Operator listings of the cdrs table: what is rejected, invalid or waiting. */
import type { Pool } from 'pg';
import type { Party } from '../ocpi/party';
import type { CdrStatus } from './cdr-repo';

export interface CdrListItem {
  country_code: string;
  party_id: string;
  id: string;
  session_id: string;
  status: CdrStatus;
  attempts: number;
  last_error: string | null;
  validation_errors: string[] | null;
  updated_at: Date;
}

export async function listCdrsByStatus(
  pool: Pool,
  status: CdrStatus,
  options: { party?: Party; limit?: number } = {},
): Promise<CdrListItem[]> {
  const result = await pool.query<CdrListItem>(
    `SELECT country_code, party_id, id, session_id, status, attempts, last_error, validation_errors, updated_at
     FROM cdrs
     WHERE status = $1 AND ($2::text IS NULL OR (country_code = $2 AND party_id = $3))
     ORDER BY updated_at DESC
     LIMIT $4`,
    [status, options.party?.country_code ?? null, options.party?.party_id ?? null, options.limit ?? 100],
  );
  return result.rows;
}

export async function countCdrsByStatus(pool: Pool, party: Party): Promise<Record<string, number>> {
  const result = await pool.query<{ status: string; count: number }>(
    'SELECT status, count(*) AS count FROM cdrs WHERE country_code = $1 AND party_id = $2 GROUP BY status',
    [party.country_code, party.party_id],
  );
  return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.count)]));
}
