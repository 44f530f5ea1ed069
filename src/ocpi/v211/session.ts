/**
 * OCPI 2.1.1 Session (mod_sessions.md 3.1) plus GIREVE's `authorization_id`, which must
 * be echoed unchanged from the authorization into the Session and the CDR.
 */
import { z } from 'zod';
import { chargingPeriodSchema } from './charging-period';
import { authMethodSchema, sessionStatusSchema } from '../enums';
import { asciiString, authorizationId, currencyCode, nonNegativeDecimal, ocpiDateTime, ocpiId } from '../primitives';
import { usedLocationSchema } from './used-location';

/** Note the 2.1.1 names `start_datetime` / `end_datetime` (a CDR says `start_date_time`). */
export const sessionSchema = z.strictObject({
  id: ocpiId(36),
  start_datetime: ocpiDateTime,
  end_datetime: ocpiDateTime.optional(),
  kwh: nonNegativeDecimal,
  auth_id: ocpiId(36),
  /** GIREVE extension: absent when the session was not authorised through GIREVE. */
  authorization_id: authorizationId.optional(),
  auth_method: authMethodSchema,
  location: usedLocationSchema,
  meter_id: asciiString(255).optional(),
  currency: currencyCode,
  charging_periods: z.array(chargingPeriodSchema).optional(),
  /** Absent means "no price given", not "free"; 0 means free. */
  total_cost: nonNegativeDecimal.optional(),
  status: sessionStatusSchema,
  last_updated: ocpiDateTime,
});
export type Session = z.infer<typeof sessionSchema>;
