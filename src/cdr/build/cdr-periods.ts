/**
 * The CDR's charging periods, from the session's. Each period keeps its start and its
 * ENERGY / MIN_CURRENT / MAX_CURRENT / FLAT dimensions; its time dimension is derived
 * from the timestamps so that the volumes add up to total_time exactly:
 *
 * - the part of a period where the car charged gets TIME = its duration, the part where
 *   it sat idle PARKING_TIME = its duration (see session-period-spans.ts for how a period
 *   divides; the backend's own TIME / PARKING_TIME decide it). A period that did both is
 *   written as two CDR periods, charging first, so the CDR says when the idle time began
 *   and anyone can price it again;
 * - out-of-order time (GIREVE 3.3) is cut out into periods of its own with a time volume
 *   of 0, and the period's energy goes to the parts where the EVSE worked and charged.
 *
 * A session without charging periods gets one, covering the whole session with its kWh.
 */
import type { CdrDimension, ChargingPeriod } from '../../ocpi/v211/charging-period';
import type { Session } from '../../ocpi/v211/session';
import { toOcpiDateTime } from '../../ocpi/primitives';
import { fromE4, msToHoursE4, prorate } from '../decimal';
import type { Interval } from '../intervals';
import { sessionPeriodSpans } from '../session/session-period-spans';

const CURRENTS: readonly string[] = ['MIN_CURRENT', 'MAX_CURRENT'];

interface Part {
  start: number;
  end: number;
  charging: boolean;
  outOfOrder: boolean;
}

/** `outOfOrder` must be merged and clipped to the session (see intervals.ts). */
export function buildChargingPeriods(session: Session, stop: number, outOfOrder: readonly Interval[]): ChargingPeriod[] {
  const periods: ChargingPeriod[] = [];
  let billableBefore = 0;
  for (const span of sessionPeriodSpans(session, stop)) {
    const { source } = span;
    const parts = [
      ...cutOutOfOrder({ start: span.start, end: span.chargingEnd }, outOfOrder).map((part) => ({ ...part, charging: true })),
      ...cutOutOfOrder({ start: span.chargingEnd, end: span.end }, outOfOrder).map((part) => ({ ...part, charging: false })),
    ];
    // A period of no length (only validation can say what is wrong with it) still appears once.
    if (parts.length === 0) parts.push({ start: span.start, end: span.end, charging: span.energyE4 > 0n, outOfOrder: false });
    const hasEnergy = source.dimensions.some((dimension) => dimension.type === 'ENERGY');
    const charged = span.chargingEnd > span.start;
    const energyShares = shareEnergy(span.energyE4, parts);
    parts.forEach((part, partIndex) => {
      const billable = part.outOfOrder ? 0 : part.end - part.start;
      const hours = msToHoursE4(billableBefore + billable) - msToHoursE4(billableBefore);
      billableBefore += billable;
      const dimensions: CdrDimension[] = [];
      if (hasEnergy) dimensions.push({ type: 'ENERGY', volume: fromE4(energyShares[partIndex] ?? 0n) });
      dimensions.push({ type: part.charging ? 'TIME' : 'PARKING_TIME', volume: fromE4(hours) });
      for (const dimension of source.dimensions) {
        if (['ENERGY', 'TIME', 'PARKING_TIME'].includes(dimension.type)) continue;
        if (dimension.type === 'FLAT' && partIndex > 0) continue; // a flat fee happens once
        // The currents a charging period reached say nothing of the idle time after it.
        if (charged && !part.charging && CURRENTS.includes(dimension.type)) continue;
        dimensions.push({ ...dimension });
      }
      const startText = partIndex === 0 ? source.start_date_time : toOcpiDateTime(new Date(part.start));
      periods.push({ start_date_time: startText, dimensions });
    });
  }
  return periods;
}

/** Splits `span` where out-of-order intervals begin and end; nothing for an empty span. */
function cutOutOfOrder(span: Interval, outOfOrder: readonly Interval[]): Array<Omit<Part, 'charging'>> {
  if (span.end <= span.start) return [];
  const cuts = new Set<number>([span.start, span.end]);
  for (const broken of outOfOrder) {
    for (const at of [broken.start, broken.end]) if (at > span.start && at < span.end) cuts.add(at);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((start, index) => ({
    start,
    end: sorted[index + 1]!,
    outOfOrder: isOutOfOrder(start, outOfOrder),
  }));
}

function isOutOfOrder(at: number, outOfOrder: readonly Interval[]): boolean {
  return outOfOrder.some((broken) => at >= broken.start && at < broken.end);
}

/**
 * The period's energy over the parts where the EVSE worked and the car charged, in
 * proportion to time; all of it to the first part if there is none (plausibility rules
 * refuse such a session before it is built).
 */
function shareEnergy(energyE4: bigint, parts: readonly Part[]): bigint[] {
  const delivers = (part: Part) => part.charging && !part.outOfOrder;
  const working = parts.reduce((sum, part) => sum + (delivers(part) ? part.end - part.start : 0), 0);
  if (working === 0) return parts.map((_, index) => (index === 0 ? energyE4 : 0n));
  let before = 0;
  return parts.map((part) => {
    if (!delivers(part)) return 0n;
    const share = prorate(energyE4, before + part.end - part.start, working) - prorate(energyE4, before, working);
    before += part.end - part.start;
    return share;
  });
}
