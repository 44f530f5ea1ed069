/**
 * Cuts the billable periods into slices inside which no tariff restriction can change:
 * at local time-of-day and day boundaries (DST-aware), at the session durations named
 * by min/max_duration and at the instants the session's energy reaches min/max_kwh.
 * Each slice is then priced by whichever element is active at its start.
 *
 * Energy inside a period is known only as a total, so it is spread over the period's
 * slices in proportion to time (constant power). The spread is cumulative and rounded
 * to 1e-4 kWh, so the slices of a period always add up to its energy exactly.
 */
import type { Tariff } from '../../ocpi/v211/tariff';
import { divideUp, prorate, toE4 } from '../decimal';
import { localBoundaries, localTimeAt } from '../local-time';
import type { PricedPeriod } from './priced-period';
import { minutesOf, usesLocalTime, type RestrictionContext } from './tariff-restrictions';

export interface PriceSlice {
  start: number;
  end: number;
  kind: 'charging' | 'parking';
  energyE4: bigint;
  /** What the restrictions see at the slice's start. */
  context: RestrictionContext;
}

export interface SliceOptions {
  tariff: Tariff;
  sessionStart: number;
  /** Needed (and checked by the caller) when a restriction uses local time. */
  timeZone: string | undefined;
}

export function sliceForPricing(periods: readonly PricedPeriod[], options: SliceOptions): PriceSlice[] {
  const limits = restrictionLimits(options.tariff);
  const zone = limits.localMinutes.length > 0 ? options.timeZone : undefined;
  const slices: PriceSlice[] = [];
  let energyBefore = 0n;
  for (const period of periods) {
    const duration = period.end - period.start;
    if (period.kind !== 'out_of_order' && duration > 0) {
      const cuts = [period.start, ...cutInstants(period, energyBefore, limits, options.sessionStart, zone), period.end];
      const energyUpTo = (instant: number) => prorate(period.energyE4, instant - period.start, duration);
      for (let index = 0; index + 1 < cuts.length; index++) {
        const start = cuts[index]!;
        const end = cuts[index + 1]!;
        slices.push({
          start,
          end,
          kind: period.kind,
          energyE4: energyUpTo(end) - energyUpTo(start),
          context: {
            local: zone === undefined ? undefined : localTimeAt(zone, start),
            energyBeforeE4: energyBefore + energyUpTo(start),
            power: { energyE4: period.energyE4, ms: duration },
            elapsedMs: start - options.sessionStart,
          },
        });
      }
    }
    energyBefore += period.energyE4;
  }
  return slices;
}

interface RestrictionLimits {
  /** Local minutes of day where a window opens or closes, plus midnight; empty if no local restriction. */
  localMinutes: number[];
  durationsMs: number[];
  energiesE4: bigint[];
}

function restrictionLimits(tariff: Tariff): RestrictionLimits {
  const localMinutes = new Set<number>();
  const durationsMs = new Set<number>();
  const energiesE4 = new Set<bigint>();
  for (const { restrictions: r } of tariff.elements) {
    if (!r) continue;
    if (usesLocalTime(r)) localMinutes.add(0);
    for (const time of [r.start_time, r.end_time]) if (time !== undefined) localMinutes.add(minutesOf(time));
    for (const seconds of [r.min_duration, r.max_duration]) if (seconds !== undefined) durationsMs.add(seconds * 1000);
    for (const kwh of [r.min_kwh, r.max_kwh]) if (kwh !== undefined) energiesE4.add(toE4(kwh));
  }
  return { localMinutes: [...localMinutes], durationsMs: [...durationsMs], energiesE4: [...energiesE4] };
}

/** Instants strictly inside the period where some restriction may flip. */
function cutInstants(
  period: PricedPeriod,
  energyBefore: bigint,
  limits: RestrictionLimits,
  sessionStart: number,
  zone: string | undefined,
): number[] {
  const instants = new Set<number>();
  for (const ms of limits.durationsMs) instants.add(sessionStart + ms);
  for (const threshold of limits.energiesE4) {
    const at = instantEnergyReaches(period, threshold - energyBefore);
    if (at !== undefined) instants.add(at);
  }
  if (zone !== undefined) {
    for (const at of localBoundaries(zone, period.start, period.end, limits.localMinutes)) instants.add(at);
  }
  return [...instants].filter((at) => at > period.start && at < period.end).sort((a, b) => a - b);
}

/**
 * The first whole millisecond at which the period's prorated energy reaches `needed`
 * (1e-4 kWh), matching `prorate`'s rounding: round(E * x / d) >= k  <=>  x >= d(2k-1)/(2E).
 */
function instantEnergyReaches(period: PricedPeriod, needed: bigint): number | undefined {
  if (needed <= 0n || needed > period.energyE4) return undefined;
  const duration = BigInt(period.end - period.start);
  const offset = divideUp(duration * (2n * needed - 1n), 2n * period.energyE4);
  return period.start + Number(offset);
}
