/**
 * Location.time_zone (mod_locations.md 3.1): "One of IANA tzdata's TZ-values", e.g.
 * "Europe/Paris". Tariff restrictions are read in it, so an unknown name is refused at
 * the edge rather than silently priced in UTC.
 */
import { ocpiString } from './primitives';

// IANA names ("Europe/Paris", "UTC", "Etc/GMT+1"); refuses the "+01:00" offsets that newer
// Intl versions also accept, since a fixed offset is exactly what breaks on DST days.
const IANA_NAME_RE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** True for an IANA time zone name that this runtime's time zone data knows. */
export function isKnownTimeZone(zone: string): boolean {
  if (!IANA_NAME_RE.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const ianaTimeZone = ocpiString(255).refine(isKnownTimeZone, {
  error: 'must be an IANA time zone name like Europe/Paris',
});
