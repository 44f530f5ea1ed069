/**
 * OCPI 2.2.1 ChargingPeriod, CdrDimension and CdrDimensionType (mod_cdrs.asciidoc). Unlike
 * 2.1.1 there is no FLAT dimension, five types are marked "Session only", and a period
 * names the tariff relevant during it (`tariff_id`; absent: no tariff, i.e. free).
 */
import { z } from 'zod';
import { ocpiDateTime, ocpiDecimal, ocpiId } from '../primitives';

/** Every value, the Session-only ones included. */
export const cdrDimensionType221Schema = z.enum([
  'CURRENT',
  'ENERGY',
  'ENERGY_EXPORT',
  'ENERGY_IMPORT',
  'MAX_CURRENT',
  'MIN_CURRENT',
  'MAX_POWER',
  'MIN_POWER',
  'PARKING_TIME',
  'POWER',
  'RESERVATION_TIME',
  'STATE_OF_CHARGE',
  'TIME',
]);

/** What a CDR may carry: the spec says the Session-only values "SHALL only be used in Sessions". */
export const cdrDimensionTypeInCdrSchema = cdrDimensionType221Schema.exclude(
  ['CURRENT', 'ENERGY_EXPORT', 'ENERGY_IMPORT', 'POWER', 'STATE_OF_CHARGE'],
  {
    error:
      'must be one of ENERGY, MAX_CURRENT, MIN_CURRENT, MAX_POWER, MIN_POWER, PARKING_TIME, RESERVATION_TIME, TIME ' +
      '(OCPI 2.2.1 CDR dimensions: FLAT is 2.1.1 only; CURRENT, POWER, ENERGY_IMPORT/EXPORT, STATE_OF_CHARGE are for Sessions)',
  },
);
export type CdrDimensionTypeInCdr = z.infer<typeof cdrDimensionTypeInCdrSchema>;

// The spec lets these go negative when energy flows from the EV to the grid; a duration,
// a maximum current or power never does.
const MAY_BE_NEGATIVE: ReadonlySet<CdrDimensionTypeInCdr> = new Set(['ENERGY', 'MIN_CURRENT', 'MIN_POWER']);

export const cdrDimension221Schema = z
  .strictObject({
    type: cdrDimensionTypeInCdrSchema,
    volume: ocpiDecimal,
  })
  .refine((dimension) => dimension.volume >= 0 || MAY_BE_NEGATIVE.has(dimension.type), {
    error: 'must be >= 0 for this type (only ENERGY, MIN_CURRENT and MIN_POWER go negative, when the EV feeds the grid)',
    path: ['volume'],
  });
export type CdrDimension221 = z.infer<typeof cdrDimension221Schema>;

export const chargingPeriod221Schema = z.strictObject({
  start_date_time: ocpiDateTime,
  dimensions: z.array(cdrDimension221Schema).min(1, { error: 'must hold at least one dimension' }),
  tariff_id: ocpiId(36).optional(),
});
export type ChargingPeriod221 = z.infer<typeof chargingPeriod221Schema>;
