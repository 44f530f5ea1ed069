/**
 * Re-issued CDRs (OCPI 2.2.1): the corrected CDR of a credited one. Stored like its credit
 * (a cdrs row with only a 2.2.1 form, `reissue_of` naming the CDR it corrects) and queued at
 * the tail of the party's queue in the same transaction, so each receiver gets it after the
 * credit that cancels the CDR it corrects, once.
 */
import type { Pool } from 'pg';
import { type CdrKey } from '../ocpi/party';
import { insertCdr } from './cdr-repo';
import { enqueueAtTail } from './enqueue-at-tail';
import { liveReceiversOf, withReceiverSetShared } from './receiver-set-lock';
import type { StoredCredit } from './credit-repo';

/** Same shape as a credit's: issued (or issued before), or refused with the reason. */
export type StoredReissue = StoredCredit;

export async function storeReissuedCdr(
  pool: Pool,
  original: CdrKey & { session_id: string },
  reissue: { id: string; body: unknown },
  /** The connections it goes to (those the credit went to). */
  receivers: string[],
): Promise<StoredReissue> {
  return withReceiverSetShared(pool, original, async (client): Promise<StoredReissue> => {
    const targets = await liveReceiversOf(client, original, receivers);
    if (targets.length === 0) return { refused: `the receivers of the credit (${receivers.join(', ')}) were removed meanwhile` };
    // Concurrent commands for the same CDR wait here.
    await client.query('SELECT 1 FROM cdrs WHERE country_code = $1 AND party_id = $2 AND id = $3 FOR UPDATE', [
      original.country_code,
      original.party_id,
      original.id,
    ]);
    const credit = await client.query<{ id: string; status: string }>(
      'SELECT id, status FROM cdrs WHERE country_code = $1 AND party_id = $2 AND credit_of = $3',
      [original.country_code, original.party_id, original.id],
    );
    const cancelled = credit.rows[0];
    if (!cancelled) return { refused: `CDR ${original.id} was not credited: cdrflow credit first (the re-issue goes after the credit)` };
    if (cancelled.status !== 'queued' && cancelled.status !== 'sent') {
      return {
        refused: `the credit ${cancelled.id} of CDR ${original.id} is ${cancelled.status}: the receiver still bills the CDR, so a re-issue would bill the session twice`,
      };
    }
    const existing = await client.query<{ status: string }>(
      'SELECT status FROM cdrs WHERE country_code = $1 AND party_id = $2 AND reissue_of = $3',
      [original.country_code, original.party_id, original.id],
    );
    if (existing.rows[0]) return { issued: false, status: existing.rows[0].status };
    await insertCdr(client, {
      country_code: original.country_code,
      party_id: original.party_id,
      id: reissue.id,
      session_id: original.session_id,
      cdr: null,
      cdr_221: reissue.body,
      reissue_of: original.id,
      status: 'queued',
    });
    await enqueueAtTail(client, { ...original, id: reissue.id }, targets);
    return { issued: true, status: 'queued' };
  });
}
