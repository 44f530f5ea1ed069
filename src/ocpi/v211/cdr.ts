/**
 * OCPI 2.1.1 CDR (mod_cdrs.md 3.1) as we POST it to GIREVE, with GIREVE's extensions
 * `authorization_id` and `signed_data`. Structural rules only; business rules (totals
 * against periods, eMI3 prefixes, tariff currency) belong to src/cdr.
 */
import { z } from 'zod';
import { chargingPeriodSchema } from './charging-period';
import { authMethodSchema } from '../enums';
import { asciiString, authorizationId, ciString, currencyCode, nonNegativeDecimal, ocpiDateTime, ocpiId, ocpiString } from '../primitives';
import { signedDataSchema } from './signed-data';
import { tariffSchema } from './tariff';
import { usedLocationSchema } from './used-location';

/** GIREVE writes `[*]` (cost computed by GIREVE) and `[?]` (cost not significant) toward eMSPs. */
const GIREVE_REMARK_PREFIXES = ['[*]', '[?]'] as const;

/** A CDR's `remark` (2.1.1 and 2.2.1 alike: string(255)), without GIREVE's reserved prefixes. */
export const cdrRemark = ocpiString(255).refine((value) => !GIREVE_REMARK_PREFIXES.some((prefix) => value.trimStart().startsWith(prefix)), {
  error: 'must not start with [*] or [?]: GIREVE reserves these prefixes',
});

export const cdrSchema = z.strictObject({
  id: ciString(36).min(1, { error: 'must not be empty' }),
  start_date_time: ocpiDateTime,
  stop_date_time: ocpiDateTime,
  auth_id: ocpiId(36),
  /** GIREVE extension: the authorization this CDR refers to; absent when there was none. */
  authorization_id: authorizationId.min(1, { error: 'must not be empty: omitted when there was no authorization' }).optional(),
  auth_method: authMethodSchema,
  location: usedLocationSchema,
  meter_id: asciiString(255).optional(),
  currency: currencyCode,
  tariffs: z.array(tariffSchema).optional(),
  charging_periods: z.array(chargingPeriodSchema).min(1, { error: 'must hold at least one charging period' }),
  /** GIREVE extension (OCPI 2.2 Eichrecht data); only sent once GIREVE has certified it. */
  signed_data: signedDataSchema.optional(),
  total_cost: nonNegativeDecimal,
  total_energy: nonNegativeDecimal,
  total_time: nonNegativeDecimal,
  total_parking_time: nonNegativeDecimal.optional(),
  remark: cdrRemark.optional(),
  last_updated: ocpiDateTime,
});
export type Cdr = z.infer<typeof cdrSchema>;
