/**
 * Decides whether a built CDR may be sent: the OCPI shape (zod) and the rules between its
 * fields. Every error names the field path and the rule, e.g.
 * `charging_periods[2].start_date_time: is after stop_date_time`.
 */
import { cdrSchema, type Cdr } from '../ocpi/cdr';
import { formatIssues } from './session-ended';

export type CdrValidation = { valid: true; cdr: Cdr } | { valid: false; errors: string[] };

/** Energy may differ from the sum of period volumes by meter rounding, not more. */
const ENERGY_TOLERANCE_KWH = 0.01;
const MS_PER_HOUR = 3_600_000;

export function validateCdr(candidate: unknown): CdrValidation {
  const parsed = cdrSchema.safeParse(candidate);
  if (!parsed.success) return { valid: false, errors: formatIssues(parsed.error.issues) };
  const errors = businessRuleErrors(parsed.data);
  return errors.length > 0 ? { valid: false, errors } : { valid: true, cdr: parsed.data };
}

function businessRuleErrors(cdr: Cdr): string[] {
  const errors: string[] = [];
  const start = Date.parse(cdr.start_date_time);
  const stop = Date.parse(cdr.stop_date_time);
  if (stop <= start) errors.push('stop_date_time: must be after start_date_time');

  let previous = -Infinity;
  cdr.charging_periods.forEach((period, index) => {
    const at = Date.parse(period.start_date_time);
    const field = `charging_periods[${index}].start_date_time`;
    if (at < start) errors.push(`${field}: is before start_date_time`);
    if (at >= stop) errors.push(`${field}: is after stop_date_time`);
    if (at <= previous) errors.push(`${field}: must be after the previous period's start`);
    previous = at;
  });

  if (cdr.total_energy < 0) errors.push('total_energy: must not be negative');
  if (cdr.total_cost < 0) errors.push('total_cost: must not be negative');
  if (cdr.total_time < 0) errors.push('total_time: must not be negative');
  if (stop > start && cdr.total_time > (stop - start) / MS_PER_HOUR + 0.0001) {
    errors.push('total_time: must not exceed stop_date_time - start_date_time');
  }
  if (cdr.total_parking_time !== undefined && cdr.total_parking_time > cdr.total_time + 0.0001) {
    errors.push('total_parking_time: must not exceed total_time');
  }

  const energyVolumes = cdr.charging_periods.flatMap((period) =>
    period.dimensions.filter((dimension) => dimension.type === 'ENERGY').map((dimension) => dimension.volume),
  );
  if (energyVolumes.some((volume) => volume < 0)) errors.push('charging_periods: ENERGY volumes must not be negative');
  if (energyVolumes.length > 0) {
    const periodEnergy = energyVolumes.reduce((sum, volume) => sum + volume, 0);
    if (Math.abs(periodEnergy - cdr.total_energy) > ENERGY_TOLERANCE_KWH) {
      errors.push(
        `total_energy: must equal the sum of the periods' ENERGY volumes (${periodEnergy.toFixed(4)} kWh), within ${ENERGY_TOLERANCE_KWH} kWh`,
      );
    }
  }
  (cdr.tariffs ?? []).forEach((tariff, index) => {
    if (tariff.currency !== cdr.currency) errors.push(`tariffs[${index}].currency: must equal the CDR currency ${cdr.currency}`);
  });
  return errors;
}
