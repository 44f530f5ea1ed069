/**
 * date_from / date_to: OCPI DateTimes, passed to Postgres as text (a JS Date would drop
 * the 4th fraction digit and shift an exact window edge). OCPI 2.1.1 says a missing time
 * zone designator means UTC, so `2015-06-29T20:39:09` is read as `2015-06-29T20:39:09Z`;
 * an offset (even `+00:00`) is refused, as types.md says it is not UTC.
 */
import { ocpiDateTime } from '../../ocpi/primitives';
import { invalidParameter } from '../transport/api-error';

// OCPI's regex admits year 0000, which Postgres (no year 0) would refuse with an error.
const YEAR_ZERO = '0000';

/** True for an OCPI DateTime that Postgres stores as timestamptz without error. */
export function isStorableDateTime(value: string): boolean {
  return ocpiDateTime.safeParse(value).success && !value.startsWith(YEAR_ZERO);
}

// Date and time with no designator at all: implied UTC in 2.1.1.
const NO_DESIGNATOR_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

/**
 * The value as an OCPI DateTime ending in `Z` (what Postgres and the next Link get);
 * otherwise an invalid-parameter ApiError naming `name` and the rule.
 */
export function readDateTimeParam(name: string, raw: string): string {
  // Postgres would read a bare date-time in the session's time zone: make UTC explicit.
  const value = NO_DESIGNATOR_RE.test(raw) ? `${raw}Z` : raw;
  const parsed = ocpiDateTime.safeParse(value);
  if (!parsed.success) {
    const rule = parsed.error.issues[0]?.message ?? 'must be an OCPI DateTime in UTC like 2015-06-29T20:39:09Z';
    throw invalidParameter(`${name} ${rule}`);
  }
  if (value.startsWith(YEAR_ZERO)) throw invalidParameter(`${name} must be in year 0001 or later`);
  return value;
}

/**
 * Orders two valid OCPI DateTimes. Plain string order fails on fractions
 * ("…09Z" > "…09.5Z"), so both are compared with a 4-digit fraction.
 */
export function compareDateTimes(a: string, b: string): number {
  const sortable = (value: string) => {
    const fraction = /\.(\d+)Z$/.exec(value)?.[1] ?? '';
    return `${value.slice(0, 19)}.${fraction.padEnd(4, '0')}`;
  };
  const [left, right] = [sortable(a), sortable(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}
