/**
 * What the pull-count property tests share: instants, windows and scopes that hit the
 * edges where the count switches between its parts, and the plain count it must equal.
 */
import fc from 'fast-check';
import type { Pool } from 'pg';
import type { Party } from '../../../src/ocpi/party';
import type { CdrForm } from '../../../src/store/cdr-form';
import { type PullScope } from '../../../src/ocpi/party';

export const COUNTED_PARTIES: Party[] = [
  { country_code: 'FR', party_id: 'AB1' },
  { country_code: 'FR', party_id: 'DEF' },
  { country_code: 'BE', party_id: 'AB1' },
];
const DAY_MS = 86_400_000;
const BASE = Date.parse('2024-03-30T00:00:00Z');

// Instants packed into a few hours around day boundaries, so that rows and window bounds
// often share an hour or a day: that is where the count switches between its parts.
export const instant = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom(0, 1, 2, 22, 23), fc.constantFrom(0, 1, 59_999, 3_599_999, 1_800_000))
  .map(([day, hour, ms]) => new Date(BASE + day * DAY_MS + hour * 3_600_000 + ms));

export const windowBound = fc.option(
  fc.tuple(instant, fc.constantFrom(0, -1, 1)).map(([at, shiftMs]) => new Date(at.getTime() + shiftMs).toISOString()),
  { nil: undefined },
);

export const scope: fc.Arbitrary<PullScope> = fc.oneof(
  fc.constant<PullScope>('all'),
  fc.subarray(COUNTED_PARTIES).map((parties): PullScope => parties),
);

/** The rows a pull of `form` serves in the window and scope, counted one by one. */
export async function plainCount(
  pool: Pool,
  pullScope: PullScope,
  from: string | undefined,
  to: string | undefined,
  form: CdrForm = '2.1.1',
): Promise<number> {
  const result = await pool.query<{ country_code: string; party_id: string }>(
    `SELECT country_code, party_id FROM cdrs
     WHERE status <> 'invalid' AND (CASE $3 WHEN '2.1.1' THEN cdr IS NOT NULL ELSE cdr_221 IS NOT NULL END)
       AND last_updated >= $1 AND last_updated < $2`,
    [from ?? '-infinity', to ?? 'infinity', form],
  );
  return result.rows.filter(
    (row) => pullScope === 'all' || pullScope.some((p) => p.country_code === row.country_code && p.party_id === row.party_id),
  ).length;
}
