/**
 * A charging period as pricing sees it: a time span, the energy delivered in it and what
 * the EV was doing. Read from the CDR itself (not from the session), so the builder and
 * the validator price exactly the same thing, and an eMSP could redo it from the CDR.
 *
 * The builder writes every period with a TIME (charging) or PARKING_TIME (not charging)
 * volume equal to its duration; out-of-order time gets its own period whose time volume
 * is 0, and that is how pricing recognises it as free (GIREVE rule 3.3). A period that
 * holds both (not written by the builder, but valid OCPI) is read with the builder's
 * rule: its first TIME hours charged, with all its energy, and the rest parked.
 */
import type { Cdr } from '../../ocpi/v211/cdr';
import type { ChargingPeriod } from '../../ocpi/v211/charging-period';
import { toE4 } from '../decimal';

export type PeriodKind = 'charging' | 'parking' | 'out_of_order';

export interface PricedPeriod {
  /** ms since epoch; the period ends where the next begins, the last at the session's end. */
  start: number;
  end: number;
  /** Energy delivered in the period, 1e-4 kWh. */
  energyE4: bigint;
  kind: PeriodKind;
}

// 1e-4 h, the unit of an hour volume, in ms.
const MS_PER_HOUR_E4 = 360;

export function pricedPeriodsOf(cdr: Pick<Cdr, 'charging_periods' | 'stop_date_time'>): PricedPeriod[] {
  const stop = Date.parse(cdr.stop_date_time);
  return cdr.charging_periods.flatMap((period, index) => {
    const next = cdr.charging_periods[index + 1];
    const whole: PricedPeriod = {
      start: Date.parse(period.start_date_time),
      end: next ? Date.parse(next.start_date_time) : stop,
      energyE4: volumeE4(period, 'ENERGY'),
      kind: kindOf(period),
    };
    if (whole.kind !== 'charging' || volumeE4(period, 'PARKING_TIME') === 0n) return [whole];
    const chargingEnd = Math.min(whole.end, whole.start + Number(volumeE4(period, 'TIME')) * MS_PER_HOUR_E4);
    return [
      { ...whole, end: chargingEnd },
      { start: chargingEnd, end: whole.end, energyE4: 0n, kind: 'parking' as const },
    ];
  });
}

function kindOf(period: ChargingPeriod): PeriodKind {
  if (volumeE4(period, 'TIME') > 0n) return 'charging';
  if (volumeE4(period, 'PARKING_TIME') > 0n) return 'parking';
  return 'out_of_order';
}

/** Sum of a dimension's volumes in a period (normally one), 1e-4 units. */
export function volumeE4(period: ChargingPeriod, type: ChargingPeriod['dimensions'][number]['type']): bigint {
  return period.dimensions.filter((dimension) => dimension.type === type).reduce((sum, dimension) => sum + toE4(dimension.volume), 0n);
}
