/**
 * When a TariffElement is active (mod_tariffs.md 4.5, with the 2.2.1 clarifications of
 * what 2.1.1 leaves open): all set restrictions must hold (logical AND), evaluated at
 * one instant of the session, so an element can become active or inactive mid-session.
 *
 * - start_time inclusive, end_time exclusive, local time; end before start wraps past
 *   midnight (22:00-06:00); end 00:00 means end of day; start == end means all day.
 * - start_date inclusive, end_date exclusive, local calendar day.
 * - day_of_week: the local weekday at that instant (so Saturday 02:00 is SATURDAY even
 *   inside Friday's 22:00-06:00 window).
 * - min_kwh inclusive, max_kwh exclusive: energy delivered in the session before the instant.
 * - min_power inclusive, max_power exclusive: the average power of the charging period (kW).
 * - min_duration inclusive, max_duration exclusive: seconds since the session started.
 */
import type { TariffRestrictions } from '../../ocpi/v211/tariff';
import { toE4 } from '../decimal';
import type { LocalTime } from '../local-time';

/** What a restriction can look at, for one instant of the session. */
export interface RestrictionContext {
  /** Undefined when no restriction of the tariff needs local time. */
  local: LocalTime | undefined;
  /** Energy delivered before this instant, 1e-4 kWh. */
  energyBeforeE4: bigint;
  /** Average power of the period: energy (1e-4 kWh) over duration (ms). */
  power: { energyE4: bigint; ms: number };
  /** Milliseconds since the session started. */
  elapsedMs: number;
}

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_DAY = 1440;

/** "HH:MM" as minutes since midnight. */
export function minutesOf(timeOfDay: string): number {
  return Number(timeOfDay.slice(0, 2)) * 60 + Number(timeOfDay.slice(3, 5));
}

/** True when evaluating `restrictions` needs the Location's local time. */
export function usesLocalTime(restrictions: TariffRestrictions | undefined): boolean {
  if (!restrictions) return false;
  const { start_time, end_time, start_date, end_date, day_of_week } = restrictions;
  return [start_time, end_time, start_date, end_date].some((value) => value !== undefined) || (day_of_week?.length ?? 0) > 0;
}

export function restrictionsMatch(restrictions: TariffRestrictions | undefined, context: RestrictionContext): boolean {
  if (!restrictions) return true;
  return (
    timeOfDayMatches(restrictions, context.local) &&
    dateMatches(restrictions, context.local) &&
    dayOfWeekMatches(restrictions, context.local) &&
    within(context.energyBeforeE4, kwhE4(restrictions.min_kwh), kwhE4(restrictions.max_kwh)) &&
    powerMatches(restrictions, context.power) &&
    within(BigInt(context.elapsedMs), secondsAsMs(restrictions.min_duration), secondsAsMs(restrictions.max_duration))
  );
}

function timeOfDayMatches(r: TariffRestrictions, local: LocalTime | undefined): boolean {
  if (r.start_time === undefined && r.end_time === undefined) return true;
  if (!local) return false;
  const start = minutesOf(r.start_time ?? '00:00');
  const end = r.end_time === undefined || r.end_time === '00:00' ? MINUTES_PER_DAY : minutesOf(r.end_time);
  const now = local.msOfDay / MS_PER_MINUTE;
  if (start === end) return true;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

function dateMatches(r: TariffRestrictions, local: LocalTime | undefined): boolean {
  if (r.start_date === undefined && r.end_date === undefined) return true;
  if (!local) return false;
  return (r.start_date === undefined || local.date >= r.start_date) && (r.end_date === undefined || local.date < r.end_date);
}

function dayOfWeekMatches(r: TariffRestrictions, local: LocalTime | undefined): boolean {
  if (!r.day_of_week || r.day_of_week.length === 0) return true;
  return local !== undefined && r.day_of_week.includes(local.weekday);
}

// kW compared exactly: energyE4/1e4 kWh over ms/3.6e6 h >= limit  <=>  energyE4 * 3.6e6 >= limitE4 * ms.
function powerMatches(r: TariffRestrictions, power: RestrictionContext['power']): boolean {
  const scaled = power.energyE4 * 3_600_000n;
  const ms = BigInt(power.ms);
  if (r.min_power !== undefined && !(power.ms > 0 && scaled >= toE4(r.min_power) * ms)) return false;
  if (r.max_power !== undefined && power.ms > 0 && !(scaled < toE4(r.max_power) * ms)) return false;
  return true;
}

const kwhE4 = (value: number | undefined) => (value === undefined ? undefined : toE4(value));
const secondsAsMs = (value: number | undefined) => (value === undefined ? undefined : BigInt(value) * 1000n);

/** min inclusive, max exclusive, as the spec's "valid from" / "valid until". */
function within(value: bigint, min: bigint | undefined, max: bigint | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value < max);
}
