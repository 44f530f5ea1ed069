/**
 * OCPI 2.1.1 Location, EVSE, Connector and their classes (mod_locations.md), all fields
 * and cardinalities. A CDR or Session narrows `evses` further: see used-location.ts.
 */
import { z } from 'zod';
import {
  capabilitySchema,
  connectorFormatSchema,
  connectorTypeSchema,
  energySourceCategorySchema,
  environmentalImpactCategorySchema,
  facilitySchema,
  imageCategorySchema,
  locationTypeSchema,
  parkingRestrictionSchema,
  powerTypeSchema,
  statusSchema,
} from '../enums';
import {
  asciiString,
  countryCodeAlpha3,
  displayTextSchema,
  nonNegativeDecimal,
  nonNegativeInteger,
  ocpiDateTime,
  ocpiId,
  ocpiInteger,
  ocpiString,
  ocpiUrl,
  timeOfDay,
} from '../primitives';
import { ianaTimeZone } from '../time-zone';

// Strings on purpose (exactly 6 decimals, so no float formatting surprises), checked
// against the spec's regex and then against the WGS 84 range the regex cannot express.
const latitude = ocpiString(10)
  .regex(/^-?[0-9]{1,2}\.[0-9]{6}$/, { error: 'must be a latitude string with 6 decimals like "50.770774"', abort: true })
  .refine((v) => Math.abs(Number(v)) <= 90, { error: 'must be between -90 and 90' });
const longitude = ocpiString(11)
  .regex(/^-?[0-9]{1,3}\.[0-9]{6}$/, { error: 'must be a longitude string with 6 decimals like "-126.104965"', abort: true })
  .refine((v) => Math.abs(Number(v)) <= 180, { error: 'must be between -180 and 180' });

/** 4.12 */
export const geoLocationSchema = z.strictObject({ latitude, longitude });
export type GeoLocation = z.infer<typeof geoLocationSchema>;

/** 4.1 */
export const additionalGeoLocationSchema = z.strictObject({
  latitude,
  longitude,
  name: displayTextSchema.optional(),
});
export type AdditionalGeoLocation = z.infer<typeof additionalGeoLocationSchema>;

// int(5): at most five digits.
const imageDimension = nonNegativeInteger.max(99_999, { error: 'must be at most 5 digits' });

/** 4.14 */
export const imageSchema = z.strictObject({
  url: ocpiUrl,
  thumbnail: ocpiUrl.optional(),
  category: imageCategorySchema,
  type: ocpiString(4),
  width: imageDimension.optional(),
  height: imageDimension.optional(),
});
export type Image = z.infer<typeof imageSchema>;

/** 4.1 (numbered twice in the spec) */
export const businessDetailsSchema = z.strictObject({
  name: ocpiString(100),
  website: ocpiUrl.optional(),
  logo: imageSchema.optional(),
});
export type BusinessDetails = z.infer<typeof businessDetailsSchema>;

/** 4.19: weekday 1 (Monday) to 7 (Sunday); the spec requires end later than begin. */
export const regularHoursSchema = z
  .strictObject({
    weekday: ocpiInteger.min(1, { error: 'must be 1 (Monday) to 7 (Sunday)' }).max(7, { error: 'must be 1 (Monday) to 7 (Sunday)' }),
    period_begin: timeOfDay,
    period_end: timeOfDay,
  })
  .refine((h) => h.period_end > h.period_begin, {
    error: 'period_end must be later than period_begin',
    path: ['period_end'],
  });
export type RegularHours = z.infer<typeof regularHoursSchema>;

/** 4.10 */
export const exceptionalPeriodSchema = z.strictObject({
  period_begin: ocpiDateTime,
  period_end: ocpiDateTime,
});
export type ExceptionalPeriod = z.infer<typeof exceptionalPeriodSchema>;

/**
 * 4.13. "Choice: one of two" regular_hours / twentyfourseven; the spec's own example sends
 * `twentyfourseven: false` next to regular_hours, so we only reject the absence of both
 * and the contradiction (24/7 plus regular hours).
 */
export const hoursSchema = z
  .strictObject({
    regular_hours: z.array(regularHoursSchema).optional(),
    twentyfourseven: z.boolean().optional(),
    exceptional_openings: z.array(exceptionalPeriodSchema).optional(),
    exceptional_closings: z.array(exceptionalPeriodSchema).optional(),
  })
  .refine((h) => h.regular_hours !== undefined || h.twentyfourseven !== undefined, {
    error: 'must give regular_hours or twentyfourseven',
    path: ['twentyfourseven'],
  })
  .refine((h) => !(h.twentyfourseven === true && (h.regular_hours?.length ?? 0) > 0), {
    error: 'regular_hours must be absent when twentyfourseven is true',
    path: ['regular_hours'],
  });
export type Hours = z.infer<typeof hoursSchema>;

/** 4.6 */
export const energySourceSchema = z.strictObject({
  source: energySourceCategorySchema,
  percentage: nonNegativeDecimal.max(100, { error: 'must be <= 100' }),
});
export type EnergySource = z.infer<typeof energySourceSchema>;

/** 4.8: g/kWh */
export const environmentalImpactSchema = z.strictObject({
  source: environmentalImpactCategorySchema,
  amount: nonNegativeDecimal,
});
export type EnvironmentalImpact = z.infer<typeof environmentalImpactSchema>;

/** 4.5 */
export const energyMixSchema = z.strictObject({
  is_green_energy: z.boolean(),
  energy_sources: z.array(energySourceSchema).optional(),
  environ_impact: z.array(environmentalImpactSchema).optional(),
  supplier_name: ocpiString(64).optional(),
  energy_product_name: ocpiString(64).optional(),
});
export type EnergyMix = z.infer<typeof energyMixSchema>;

/** 4.21 */
export const statusScheduleSchema = z.strictObject({
  period_begin: ocpiDateTime,
  period_end: ocpiDateTime.optional(),
  status: statusSchema,
});
export type StatusSchedule = z.infer<typeof statusScheduleSchema>;

/** 3.3: voltage and amperage are ints (the spec's examples are right here, some CDRs are not). */
export const connectorSchema = z.strictObject({
  id: ocpiId(36),
  standard: connectorTypeSchema,
  format: connectorFormatSchema,
  power_type: powerTypeSchema,
  voltage: nonNegativeInteger,
  amperage: nonNegativeInteger,
  tariff_id: ocpiId(36).optional(),
  terms_and_conditions: ocpiUrl.optional(),
  last_updated: ocpiDateTime,
});
export type Connector = z.infer<typeof connectorSchema>;

/** 3.2: at least one connector. GIREVE's eMI3 prefix rule on evse_id is checked in src/cdr. */
export const evseSchema = z.strictObject({
  uid: ocpiId(39),
  evse_id: asciiString(48).optional(),
  status: statusSchema,
  status_schedule: z.array(statusScheduleSchema).optional(),
  capabilities: z.array(capabilitySchema).optional(),
  connectors: z.array(connectorSchema).min(1, { error: 'must hold at least one connector' }),
  floor_level: ocpiString(4).optional(),
  coordinates: geoLocationSchema.optional(),
  physical_reference: ocpiString(16).optional(),
  directions: z.array(displayTextSchema).optional(),
  parking_restrictions: z.array(parkingRestrictionSchema).optional(),
  images: z.array(imageSchema).optional(),
  last_updated: ocpiDateTime,
});
export type Evse = z.infer<typeof evseSchema>;

/**
 * 3.1. `charging_when_closed` defaults to true in the spec; no zod default is applied so
 * parsing stays idempotent and we never send what we were not given.
 */
export const locationSchema = z.strictObject({
  id: ocpiId(39),
  type: locationTypeSchema,
  name: ocpiString(255).optional(),
  address: ocpiString(45),
  city: ocpiString(45),
  postal_code: ocpiString(10),
  country: countryCodeAlpha3,
  coordinates: geoLocationSchema,
  related_locations: z.array(additionalGeoLocationSchema).optional(),
  evses: z.array(evseSchema).optional(),
  directions: z.array(displayTextSchema).optional(),
  operator: businessDetailsSchema.optional(),
  suboperator: businessDetailsSchema.optional(),
  owner: businessDetailsSchema.optional(),
  facilities: z.array(facilitySchema).optional(),
  time_zone: ianaTimeZone.optional(),
  opening_times: hoursSchema.optional(),
  charging_when_closed: z.boolean().optional(),
  images: z.array(imageSchema).optional(),
  energy_mix: energyMixSchema.optional(),
  last_updated: ocpiDateTime,
});
export type Location = z.infer<typeof locationSchema>;
