/**
 * Rules between a CDR's totals and its charging periods: an eMSP adds the periods up,
 * so the totals must be what they add up to (within 4-decimal rounding).
 */
import type { Cdr } from '../../ocpi/v211/cdr';
import { fromE4, msToHoursE4, toE4 } from '../decimal';
import { volumeE4 } from '../pricing/priced-period';

/** Energy may differ from the sum of period volumes by meter rounding, not more. */
const ENERGY_TOLERANCE_KWH = 0.01;

export function totalRuleErrors(cdr: Cdr): string[] {
  return [...energyErrors(cdr), ...timeVolumeErrors(cdr)];
}

function energyErrors(cdr: Cdr): string[] {
  const reported = cdr.charging_periods.some((period) => period.dimensions.some((dimension) => dimension.type === 'ENERGY'));
  if (!reported) {
    return cdr.total_energy > 0
      ? [`charging_periods: must report the ENERGY delivered in each period (total_energy is ${cdr.total_energy} kWh)`]
      : [];
  }
  const periodEnergy = cdr.charging_periods.reduce((sum, period) => sum + volumeE4(period, 'ENERGY'), 0n);
  if (absolute(periodEnergy - toE4(cdr.total_energy)) <= toE4(ENERGY_TOLERANCE_KWH)) return [];
  return [
    `total_energy: must equal the sum of the periods' ENERGY volumes (${fromE4(periodEnergy)} kWh), within ${ENERGY_TOLERANCE_KWH} kWh`,
  ];
}

function timeVolumeErrors(cdr: Cdr): string[] {
  const errors: string[] = [];
  const stop = Date.parse(cdr.stop_date_time);
  let timeSum = 0n;
  let parkingSum = 0n;
  cdr.charging_periods.forEach((period, index) => {
    const field = `charging_periods[${index}].dimensions`;
    const hasTime = period.dimensions.some((dimension) => dimension.type === 'TIME' || dimension.type === 'PARKING_TIME');
    if (!hasTime) errors.push(`${field}: must hold a TIME or PARKING_TIME volume (0 for out-of-order time)`);
    const next = cdr.charging_periods[index + 1];
    const durationE4 = msToHoursE4(Math.max(0, (next ? Date.parse(next.start_date_time) : stop) - Date.parse(period.start_date_time)));
    const volume = volumeE4(period, 'TIME') + volumeE4(period, 'PARKING_TIME');
    if (volume > durationE4 + 1n) {
      errors.push(`${field}: TIME and PARKING_TIME must not exceed the period's duration (${fromE4(durationE4)} h)`);
    }
    timeSum += volume;
    parkingSum += volumeE4(period, 'PARKING_TIME');
  });
  // Each period's volume is rounded to 1e-4 h on its own: allow one unit per period.
  const tolerance = BigInt(cdr.charging_periods.length);
  if (absolute(timeSum - toE4(cdr.total_time)) > tolerance) {
    errors.push(`total_time: must equal the sum of the periods' TIME and PARKING_TIME volumes (${fromE4(timeSum)} h)`);
  }
  if (cdr.total_parking_time !== undefined && absolute(parkingSum - toE4(cdr.total_parking_time)) > tolerance) {
    errors.push(`total_parking_time: must equal the sum of the periods' PARKING_TIME volumes (${fromE4(parkingSum)} h)`);
  }
  return errors;
}

function absolute(value: bigint): bigint {
  return value < 0n ? -value : value;
}
