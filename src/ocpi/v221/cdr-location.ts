/**
 * OCPI 2.2.1 CdrLocation (mod_cdrs.asciidoc): the flat summary of Location, EVSE and
 * Connector that replaced 2.1.1's nested Location in a CDR, with the 2.2.1 ConnectorType,
 * PowerType and GeoLocation (mod_locations.asciidoc), which accept more than 2.1.1's.
 */
import { z } from 'zod';
import { connectorFormatSchema, connectorTypeSchema } from '../enums';
import { locationSchema } from '../v211/location';
import { ocpiId, ocpiString } from '../primitives';

/** mod_locations ConnectorType: 2.1.1's values, then those 2.2.1 added. */
export const connectorType221Schema = z.enum([
  ...connectorTypeSchema.options,
  'CHAOJI',
  'DOMESTIC_M',
  'DOMESTIC_N',
  'DOMESTIC_O',
  'GBT_AC',
  'GBT_DC',
  'NEMA_5_20',
  'NEMA_6_30',
  'NEMA_6_50',
  'NEMA_10_30',
  'NEMA_10_50',
  'NEMA_14_30',
  'NEMA_14_50',
  'PANTOGRAPH_BOTTOM_UP',
  'PANTOGRAPH_TOP_DOWN',
]);
export type ConnectorType221 = z.infer<typeof connectorType221Schema>;

/** mod_locations PowerType: 2.2.1 added the two-phase systems. */
export const powerType221Schema = z.enum(['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC']);
export type PowerType221 = z.infer<typeof powerType221Schema>;

// Still strings, now with 5 to 7 decimals (2.1.1: exactly 6), then the WGS 84 range.
const latitude = ocpiString(10)
  .regex(/^-?[0-9]{1,2}\.[0-9]{5,7}$/, { error: 'must be a latitude string with 5 to 7 decimals like "50.770774"', abort: true })
  .refine((v) => Math.abs(Number(v)) <= 90, { error: 'must be between -90 and 90' });
const longitude = ocpiString(11)
  .regex(/^-?[0-9]{1,3}\.[0-9]{5,7}$/, { error: 'must be a longitude string with 5 to 7 decimals like "-126.104965"', abort: true })
  .refine((v) => Math.abs(Number(v)) <= 180, { error: 'must be between -180 and 180' });

export const geoLocation221Schema = z.strictObject({ latitude, longitude });

const location211 = locationSchema.shape;

/** Ids are CiString(36) here, where 2.1.1's Location.id and EVSE.uid allowed 39. */
export const cdrLocationSchema = z.strictObject({
  id: ocpiId(36),
  name: location211.name,
  address: location211.address,
  city: location211.city,
  /** Optional in 2.2.1: some highway locations have no postal code. */
  postal_code: ocpiString(10).optional(),
  state: ocpiString(20).optional(),
  country: location211.country,
  coordinates: geoLocation221Schema,
  evse_uid: ocpiId(36),
  /** eMI3 EVSE id; GIREVE's prefix rule is checked in src/cdr. */
  evse_id: ocpiId(48),
  connector_id: ocpiId(36),
  connector_standard: connectorType221Schema,
  connector_format: connectorFormatSchema,
  connector_power_type: powerType221Schema,
});
export type CdrLocation = z.infer<typeof cdrLocationSchema>;
