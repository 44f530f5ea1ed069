/**
 * The session's charging periods as time spans, each divided into the part where the car
 * charged and the part where it sat idle (OCPI 2.1.1: TIME is "time charging",
 * PARKING_TIME "time not charging").
 *
 * Where the backend reports the split, it decides: a CPO's period ends when something
 * changes, and within one period charging comes first and idling after it (charging
 * stops, then the car waits), so
 * - TIME given: the first TIME hours charged, the rest of the period is parking;
 * - only PARKING_TIME given: the last PARKING_TIME hours are parking, the rest charged if
 *   the period delivered energy;
 * - neither: the whole period charged if it delivered energy, else it is parking.
 * Volumes carry 4 decimals (0.36 s), so a split point closer than that to either end of
 * the period is rounding and snaps to it: no sliver of parking billed per 5 minutes.
 */
import type { ChargingPeriod } from '../../ocpi/v211/charging-period';
import type { Session } from '../../ocpi/v211/session';
import { volumeE4 } from '../pricing/priced-period';

/** One 1e-4 h, the resolution of an OCPI hour volume, in ms. */
export const HOUR_VOLUME_RESOLUTION_MS = 360;

export interface SessionPeriodSpan {
  /** The session's period (or one made up for a session that reports none). */
  source: ChargingPeriod;
  /** ms since epoch: [start, chargingEnd) charged, [chargingEnd, end) parked. */
  start: number;
  chargingEnd: number;
  end: number;
  /** Energy of the period, 1e-4 kWh. */
  energyE4: bigint;
}

export function sessionPeriodSpans(session: Session, stop: number): SessionPeriodSpan[] {
  const sources = session.charging_periods?.length ? session.charging_periods : [wholeSessionPeriod(session)];
  return sources.map((source, index) => {
    const start = Date.parse(source.start_date_time);
    const next = sources[index + 1];
    const end = Math.max(start, next ? Date.parse(next.start_date_time) : stop);
    const energyE4 = volumeE4(source, 'ENERGY');
    return { source, start, chargingEnd: start + chargingMs(source, energyE4, end - start), end, energyE4 };
  });
}

/** The reported TIME and PARKING_TIME of a period in ms; undefined when not reported. */
export function reportedTimeMs(period: ChargingPeriod, type: 'TIME' | 'PARKING_TIME'): number | undefined {
  if (!period.dimensions.some((dimension) => dimension.type === type)) return undefined;
  return Number(volumeE4(period, type)) * HOUR_VOLUME_RESOLUTION_MS;
}

function chargingMs(source: ChargingPeriod, energyE4: bigint, lengthMs: number): number {
  const time = reportedTimeMs(source, 'TIME');
  const parking = reportedTimeMs(source, 'PARKING_TIME');
  let charging: number;
  if (time !== undefined) charging = time;
  else if (energyE4 > 0n) charging = lengthMs - (parking ?? 0);
  else charging = 0;
  if (charging >= lengthMs - HOUR_VOLUME_RESOLUTION_MS) return lengthMs;
  if (charging <= HOUR_VOLUME_RESOLUTION_MS) return 0;
  return charging;
}

function wholeSessionPeriod(session: Session): ChargingPeriod {
  return { start_date_time: session.start_datetime, dimensions: [{ type: 'ENERGY', volume: session.kwh }] };
}
