/**
 * OCPI 2.1.1 ChargingPeriod and CdrDimension (mod_cdrs.md 4.2-4.4), shared by CDR and
 * Session. A period ends where the next one starts; the last one at the session's end.
 */
import { z } from 'zod';
import { cdrDimensionTypeSchema } from '../enums';
import { nonNegativeDecimal, ocpiDateTime } from '../primitives';

/** volume in the unit of its type (kWh, A, hours; FLAT has none); never negative. */
export const cdrDimensionSchema = z.strictObject({
  type: cdrDimensionTypeSchema,
  volume: nonNegativeDecimal,
});
export type CdrDimension = z.infer<typeof cdrDimensionSchema>;

export const chargingPeriodSchema = z.strictObject({
  start_date_time: ocpiDateTime,
  dimensions: z.array(cdrDimensionSchema).min(1, { error: 'must hold at least one dimension' }),
});
export type ChargingPeriod = z.infer<typeof chargingPeriodSchema>;
