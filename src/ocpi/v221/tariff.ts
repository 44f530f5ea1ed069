/**
 * OCPI 2.2.1 Tariff and its classes (mod_tariffs.asciidoc), as carried inside a 2.2.1 CDR.
 * Beyond 2.1.1: the owning party, an optional `type` (absent: valid for every session),
 * min/max prices, validity dates, a VAT rate per price component and restrictions on
 * current and reservations. Fields unchanged since 2.1.1 reuse the 2.1.1 schemas.
 */
import { z } from 'zod';
import { priceComponentSchema, tariffRestrictionsSchema, tariffSchema } from '../v211/tariff';
import { countryCodeAlpha2, nonNegativeDecimal, ocpiDateTime, partyId } from '../primitives';
import { nonNegativePriceSchema } from './price';

export const tariffTypeSchema = z.enum(['AD_HOC_PAYMENT', 'PROFILE_CHEAP', 'PROFILE_FAST', 'PROFILE_GREEN', 'REGULAR']);
export type TariffType = z.infer<typeof tariffTypeSchema>;

export const reservationRestrictionTypeSchema = z.enum(['RESERVATION', 'RESERVATION_EXPIRES']);
export type ReservationRestrictionType = z.infer<typeof reservationRestrictionTypeSchema>;

const component211 = priceComponentSchema.shape;

/** `vat` absent means "no VAT applicable", which the spec distinguishes from 0 (0% VAT). */
export const priceComponent221Schema = z.strictObject({
  type: component211.type,
  price: component211.price,
  vat: nonNegativeDecimal.max(100, { error: 'must be a percentage from 0 to 100' }).optional(),
  step_size: component211.step_size,
});
export type PriceComponent221 = z.infer<typeof priceComponent221Schema>;

const restrictions211 = tariffRestrictionsSchema.shape;

/** Keys in the spec's order, so a parsed tariff reads like mod_tariffs. */
export const tariffRestrictions221Schema = z.strictObject({
  start_time: restrictions211.start_time,
  end_time: restrictions211.end_time,
  start_date: restrictions211.start_date,
  end_date: restrictions211.end_date,
  min_kwh: restrictions211.min_kwh,
  max_kwh: restrictions211.max_kwh,
  min_current: nonNegativeDecimal.optional(),
  max_current: nonNegativeDecimal.optional(),
  min_power: restrictions211.min_power,
  max_power: restrictions211.max_power,
  min_duration: restrictions211.min_duration,
  max_duration: restrictions211.max_duration,
  day_of_week: restrictions211.day_of_week,
  reservation: reservationRestrictionTypeSchema.optional(),
});
export type TariffRestrictions221 = z.infer<typeof tariffRestrictions221Schema>;

export const tariffElement221Schema = z.strictObject({
  price_components: z.array(priceComponent221Schema).min(1, { error: 'must hold at least one price component' }),
  restrictions: tariffRestrictions221Schema.optional(),
});
export type TariffElement221 = z.infer<typeof tariffElement221Schema>;

const tariff211 = tariffSchema.shape;

export const tariff221Schema = z.strictObject({
  country_code: countryCodeAlpha2,
  party_id: partyId,
  id: tariff211.id,
  currency: tariff211.currency,
  type: tariffTypeSchema.optional(),
  tariff_alt_text: tariff211.tariff_alt_text,
  tariff_alt_url: tariff211.tariff_alt_url,
  min_price: nonNegativePriceSchema.optional(),
  max_price: nonNegativePriceSchema.optional(),
  elements: z.array(tariffElement221Schema).min(1, { error: 'must hold at least one tariff element' }),
  start_date_time: ocpiDateTime.optional(),
  end_date_time: ocpiDateTime.optional(),
  energy_mix: tariff211.energy_mix,
  last_updated: tariff211.last_updated,
});
export type Tariff221 = z.infer<typeof tariff221Schema>;
