/**
 * Rules on a CDR's timestamps: the session runs forward, within the bounds of a real
 * session (session-bounds.ts; pricing is skipped when these fail, so a CDR spanning
 * centuries is refused at once), and its periods tile it in order.
 */
import type { Cdr } from '../../ocpi/v211/cdr';
import { clockRuleBroken, durationRuleBroken, startRuleBroken } from '../session/session-bounds';

const MS_PER_HOUR = 3_600_000;
/** One unit of the 4th decimal, the resolution of every OCPI number. */
const ROUNDING = 0.0001;

export function timeRuleErrors(cdr: Cdr): string[] {
  const errors: string[] = [];
  const start = Date.parse(cdr.start_date_time);
  const stop = Date.parse(cdr.stop_date_time);
  if (stop <= start) errors.push('stop_date_time: must be after start_date_time');
  const startRule = startRuleBroken(start);
  if (startRule) errors.push(`start_date_time: ${startRule}`);
  // A CDR is written after its session ended: last_updated is the build's `now`.
  for (const rule of [durationRuleBroken(start, stop), clockRuleBroken(stop, { name: 'last_updated', at: new Date(cdr.last_updated) })]) {
    if (rule) errors.push(`stop_date_time: ${rule}`);
  }

  let previous = -Infinity;
  cdr.charging_periods.forEach((period, index) => {
    const at = Date.parse(period.start_date_time);
    const field = `charging_periods[${index}].start_date_time`;
    if (index === 0 && at > start) errors.push(`${field}: must equal start_date_time: the periods must cover the whole session`);
    if (at < start) errors.push(`${field}: is before start_date_time`);
    if (at > stop) errors.push(`${field}: is after stop_date_time`);
    else if (at === stop && stop > start) errors.push(`${field}: must be before stop_date_time: a period can't start as the session stops`);
    if (at <= previous) errors.push(`${field}: must be after the previous period's start`);
    previous = at;
  });

  if (stop > start && cdr.total_time > (stop - start) / MS_PER_HOUR + ROUNDING) {
    errors.push('total_time: must not exceed stop_date_time - start_date_time');
  }
  if (cdr.total_parking_time !== undefined && cdr.total_parking_time > cdr.total_time + ROUNDING) {
    errors.push('total_parking_time: must not exceed total_time');
  }
  return errors;
}
