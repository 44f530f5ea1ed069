/**
 * The CDR's charging periods, from the session's. Each period keeps its start and its
 * ENERGY / MIN_CURRENT / MAX_CURRENT / FLAT dimensions; its time dimension is derived
 * from the timestamps so that the volumes add up to total_time exactly:
 *
 * - a period that delivered energy is charging: TIME = its duration;
 * - a period that delivered none is parked: PARKING_TIME = its duration (the idle time
 *   that parking fees apply to); when the session reports no ENERGY for a period, a TIME
 *   dimension from the session marks it as charging;
 * - out-of-order time (GIREVE 3.3) is cut out into periods of its own with a time volume
 *   of 0, and the period's energy goes to the parts where the EVSE worked.
 *
 * A session without charging periods gets one, covering the whole session with its kWh.
 */
import type { CdrDimension, ChargingPeriod } from '../ocpi/charging-period';
import type { Session } from '../ocpi/session';
import { toOcpiDateTime } from '../ocpi/primitives';
import { fromE4, msToHoursE4, prorate } from './decimal';
import type { Interval } from './intervals';
import { volumeE4 } from './priced-period';

interface Part {
  start: number;
  end: number;
  outOfOrder: boolean;
}

/** `outOfOrder` must be merged and clipped to the session (see intervals.ts). */
export function buildChargingPeriods(session: Session, stop: number, outOfOrder: readonly Interval[]): ChargingPeriod[] {
  const sources = session.charging_periods?.length ? session.charging_periods : [wholeSessionPeriod(session)];
  const periods: ChargingPeriod[] = [];
  let billableBefore = 0;
  sources.forEach((source, index) => {
    const start = Date.parse(source.start_date_time);
    const next = sources[index + 1];
    const end = Math.max(start, next ? Date.parse(next.start_date_time) : stop);
    const parts = cutOutOfOrder({ start, end }, outOfOrder);
    const energyE4 = volumeE4(source, 'ENERGY');
    const hasEnergy = source.dimensions.some((dimension) => dimension.type === 'ENERGY');
    const charging = hasEnergy ? energyE4 > 0n : source.dimensions.some((dimension) => dimension.type === 'TIME');
    const energyShares = shareEnergy(energyE4, parts);
    parts.forEach((part, partIndex) => {
      const billable = part.outOfOrder ? 0 : part.end - part.start;
      const hours = msToHoursE4(billableBefore + billable) - msToHoursE4(billableBefore);
      billableBefore += billable;
      const dimensions: CdrDimension[] = [];
      if (hasEnergy) dimensions.push({ type: 'ENERGY', volume: fromE4(energyShares[partIndex] ?? 0n) });
      dimensions.push({ type: charging ? 'TIME' : 'PARKING_TIME', volume: fromE4(hours) });
      for (const dimension of source.dimensions) {
        if (['ENERGY', 'TIME', 'PARKING_TIME'].includes(dimension.type)) continue;
        if (dimension.type === 'FLAT' && partIndex > 0) continue; // a flat fee happens once
        dimensions.push({ ...dimension });
      }
      const startText = partIndex === 0 ? source.start_date_time : toOcpiDateTime(new Date(part.start));
      periods.push({ start_date_time: startText, dimensions });
    });
  });
  return periods;
}

function wholeSessionPeriod(session: Session): ChargingPeriod {
  return { start_date_time: session.start_datetime, dimensions: [{ type: 'ENERGY', volume: session.kwh }] };
}

/** Splits `span` where out-of-order intervals begin and end. */
function cutOutOfOrder(span: Interval, outOfOrder: readonly Interval[]): Part[] {
  const cuts = new Set<number>([span.start, span.end]);
  for (const broken of outOfOrder) {
    for (const at of [broken.start, broken.end]) if (at > span.start && at < span.end) cuts.add(at);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  if (sorted.length === 1) return [{ ...span, outOfOrder: isOutOfOrder(span.start, outOfOrder) }];
  return sorted.slice(0, -1).map((start, index) => ({
    start,
    end: sorted[index + 1]!,
    outOfOrder: isOutOfOrder(start, outOfOrder),
  }));
}

function isOutOfOrder(at: number, outOfOrder: readonly Interval[]): boolean {
  return outOfOrder.some((broken) => at >= broken.start && at < broken.end);
}

/** The period's energy over its working parts, in proportion to time; all of it to the first part if none worked. */
function shareEnergy(energyE4: bigint, parts: readonly Part[]): bigint[] {
  const working = parts.reduce((sum, part) => sum + (part.outOfOrder ? 0 : part.end - part.start), 0);
  if (working === 0) return parts.map((_, index) => (index === 0 ? energyE4 : 0n));
  let before = 0;
  return parts.map((part) => {
    if (part.outOfOrder) return 0n;
    const share = prorate(energyE4, before + part.end - part.start, working) - prorate(energyE4, before, working);
    before += part.end - part.start;
    return share;
  });
}
