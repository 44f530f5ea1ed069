/** Chunks of a CPO queue handed over between two runs of its workflow (see migration 003). */
import type { Pool } from 'pg';

export async function saveSnapshotChunk(pool: Pool, snapshotId: string, chunk: number, entries: unknown[]): Promise<void> {
  await pool.query(
    `INSERT INTO queue_snapshot_chunks (snapshot_id, chunk, entries) VALUES ($1, $2, $3)
     ON CONFLICT (snapshot_id, chunk) DO UPDATE SET entries = EXCLUDED.entries`,
    [snapshotId, chunk, JSON.stringify(entries)],
  );
}

export async function loadSnapshotChunk(pool: Pool, snapshotId: string, chunk: number): Promise<unknown[]> {
  const result = await pool.query<{ entries: unknown[] }>(
    'SELECT entries FROM queue_snapshot_chunks WHERE snapshot_id = $1 AND chunk = $2',
    [snapshotId, chunk],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`queue snapshot ${snapshotId} has no chunk ${chunk}`);
  return row.entries;
}

export async function deleteSnapshot(pool: Pool, snapshotId: string): Promise<void> {
  await pool.query('DELETE FROM queue_snapshot_chunks WHERE snapshot_id = $1', [snapshotId]);
}
