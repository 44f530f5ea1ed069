/**
 * Bounds a real charging session stays within. Beyond them the data is broken (a missing
 * timestamp read as 1970, a year typed as 9999, a clock in the future), and a CDR built
 * from it would bill nonsense, or take hours to price and block the CPO's queue. The
 * input is refused at the edge and the CDR validator refuses such a CDR, each with a rule
 * that names the bound.
 */
import { toOcpiDateTime } from '../../ocpi/primitives';
import { fromE4, msToHoursE4 } from '../decimal';

const MS_PER_HOUR = 3_600_000;

/**
 * The longest session one CDR may cover. A car parked longer than a week is a case for
 * the operator, not an invoice line: the backend splits or corrects it. It also bounds
 * what pricing a session can cost.
 */
export const MAX_SESSION_DURATION_MS = 7 * 24 * MS_PER_HOUR;

/** Before any OCPI roaming (GIREVE opened in 2013): an earlier start is a missing timestamp. */
export const EARLIEST_SESSION_START = '2010-01-01T00:00:00Z';

/** How far a backend's clock may run ahead of ours; NTP keeps real ones within seconds. */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

/** The rule a start breaks, or undefined. */
export function startRuleBroken(startMs: number): string | undefined {
  if (startMs >= Date.parse(EARLIEST_SESSION_START)) return undefined;
  return `must not be before ${EARLIEST_SESSION_START}: no roaming session is that old (a missing timestamp?)`;
}

/** The rule a session's length breaks, or undefined. */
export function durationRuleBroken(startMs: number, stopMs: number): string | undefined {
  if (stopMs - startMs <= MAX_SESSION_DURATION_MS) return undefined;
  const hours = fromE4(msToHoursE4(stopMs - startMs));
  const limit = MAX_SESSION_DURATION_MS / MS_PER_HOUR;
  return `the session lasts ${hours} h, more than the ${limit} h (7 days) a CDR may cover: the backend must split or correct it`;
}

/** The rule a stop breaks against the clock (`now` at the edge, `last_updated` in a CDR), or undefined. */
export function clockRuleBroken(stopMs: number, clock: { name: string; at: Date }): string | undefined {
  if (stopMs <= clock.at.getTime() + CLOCK_SKEW_ALLOWANCE_MS) return undefined;
  const skewMinutes = CLOCK_SKEW_ALLOWANCE_MS / 60_000;
  return `must not be after ${clock.name} (${toOcpiDateTime(clock.at)}) + ${skewMinutes} min of clock skew: a CDR is for a session that has ended`;
}
