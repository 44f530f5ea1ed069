/**
 * Wall-clock time at a Location (OCPI `Location.time_zone`, an IANA name), which is where
 * tariff restrictions are read: "22:00", "SATURDAY", "2025-12-24" are local. Uses the
 * runtime's Intl time zone data, so DST days are right: 02:30 does not exist on the
 * spring-forward day and happens twice on the fall-back day.
 */
import type { DayOfWeek } from '../ocpi/enums';

export interface LocalTime {
  /** Local calendar day, `YYYY-MM-DD`. */
  date: string;
  weekday: DayOfWeek;
  /** Milliseconds since local midnight (wall clock). */
  msOfDay: number;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const WEEKDAYS: readonly DayOfWeek[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The local wall clock at instant `ms`, read as if it were UTC (ms since epoch). */
function wallClockMs(zone: string, ms: number): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(wholeSecond))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years < 100 as they are
  utc.setUTCHours(hour, minute, second, ms - wholeSecond);
  return utc.getTime();
}

/** Offset of local time from UTC at instant `ms`, in ms (Paris: +3,600,000 in winter). */
export function utcOffsetMs(zone: string, ms: number): number {
  return wallClockMs(zone, ms) - ms;
}

export function localTimeAt(zone: string, ms: number): LocalTime {
  const wall = wallClockMs(zone, ms);
  const midnight = Math.floor(wall / MS_PER_DAY) * MS_PER_DAY;
  const day = new Date(midnight);
  return {
    date: day.toISOString().slice(0, 10),
    weekday: WEEKDAYS[day.getUTCDay()] ?? 'SUNDAY',
    msOfDay: wall - midnight,
  };
}

/**
 * The instants in (from, to) where the local clock shows one of `minutesOfDay` (0 is
 * midnight, 1320 is 22:00) or where the UTC offset changes (a DST jump). Between two
 * consecutive instants of the result, "which local time-of-day window am I in" cannot
 * change, which is what tariff restrictions need.
 */
export function localBoundaries(zone: string, from: number, to: number, minutesOfDay: readonly number[]): number[] {
  const boundaries = new Set<number>();
  const segments = constantOffsetSegments(zone, from, to);
  for (const segment of segments) {
    if (segment.start > from) boundaries.add(segment.start);
    const firstDay = Math.floor((segment.start + segment.offset) / MS_PER_DAY) * MS_PER_DAY;
    for (let day = firstDay; day - segment.offset < segment.end; day += MS_PER_DAY) {
      for (const minute of minutesOfDay) {
        const instant = day + minute * MS_PER_MINUTE - segment.offset;
        if (instant > segment.start && instant < segment.end) boundaries.add(instant);
      }
    }
  }
  return [...boundaries].filter((instant) => instant > from && instant < to).sort((a, b) => a - b);
}

interface OffsetSegment {
  start: number;
  end: number;
  offset: number;
}

/**
 * Cuts [from, to) where the UTC offset changes. Zones change offset a few times a year, so
 * the offset is probed once a day and each change found by binary search: the cost grows
 * with days and changes, not with hours (a week costs ~8 probes, plus ~27 per DST jump).
 * Missed would only be a change and its undoing within one day, which no zone's rules
 * have had in the years a session may fall in (session-bounds.ts).
 */
function constantOffsetSegments(zone: string, from: number, to: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let start = from;
  let offset = utcOffsetMs(zone, from);
  for (let probed = from; probed < to;) {
    const next = Math.min(probed + MS_PER_DAY, to);
    if (utcOffsetMs(zone, next) === offset) {
      probed = next;
      continue;
    }
    // Re-probe from the change: a second change later that day is found on the next turn.
    const change = firstInstantWithout(zone, probed, next, offset);
    segments.push({ start, end: change, offset });
    start = change;
    offset = utcOffsetMs(zone, change);
    probed = change;
  }
  segments.push({ start, end: to, offset });
  return segments;
}

/** Binary search, to the millisecond, for the first instant in (low, high] whose offset is not `offset`. */
function firstInstantWithout(zone: string, low: number, high: number, offset: number): number {
  let before = low;
  let after = high;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (utcOffsetMs(zone, middle) !== offset) after = middle;
    else before = middle;
  }
  return after;
}
