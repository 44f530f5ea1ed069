/**
 * The opaque `cursor` of a next-page Link: the sort key of the last CDR the client got,
 * as base64url JSON. It lets the next page start right after that CDR (keyset) instead of
 * counting `offset` rows again; clients only copy it, so a cursor that does not decode to
 * a valid key is refused rather than guessed at.
 */
import { z } from 'zod';
import type { PullSortKey } from '../../store/cdr-pull-query';
import { isStorableDateTime } from './date-time-param';

// Generous for four short strings; refuses megabyte blobs before decoding them.
const MAX_CURSOR_LENGTH = 1024;
const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;

// The store writes last_updated with microseconds; the date part must still be a real date.
const KEY_TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const keyTimestamp = z
  .string()
  .regex(KEY_TIMESTAMP_RE)
  .refine((value) => isStorableDateTime(`${value.slice(0, 19)}Z`));
// Postgres text cannot hold NUL; any other character is a key some row might have.
const keyText = z
  .string()
  .max(255)
  .regex(/^[^\u0000]*$/);

const cursorSchema = z.tuple([keyTimestamp, keyText, keyText, keyText]);

export function encodeCursor(key: PullSortKey): string {
  const tuple = [key.last_updated, key.country_code, key.party_id, key.id];
  return Buffer.from(JSON.stringify(tuple), 'utf8').toString('base64url');
}

/** The key the cursor carries, or undefined when it is not a cursor this server wrote. */
export function decodeCursor(cursor: string): PullSortKey | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL_RE.test(cursor)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) return undefined;
  const [last_updated, country_code, party_id, id] = parsed.data;
  return { last_updated, country_code, party_id, id };
}
