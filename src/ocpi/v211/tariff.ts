/**
 * OCPI 2.1.1 Tariff and its classes (mod_tariffs.md). Tariffs travel inside CDRs so the
 * eMSP can check the price; pricing itself lives in src/cdr.
 */
import { z } from 'zod';
import { dayOfWeekSchema, tariffDimensionTypeSchema } from '../enums';
import { energyMixSchema } from './location';
import {
  currencyCode,
  displayTextSchema,
  localDate,
  nonNegativeDecimal,
  nonNegativeInteger,
  ocpiDateTime,
  ocpiId,
  ocpiUrl,
  timeOfDay,
} from '../primitives';

/**
 * 4.2. `price` per unit excluding VAT, never negative (2.1.1 has no credit/discount
 * semantics). `step_size` is an int >= 0: the spec's own free-of-charge example uses 0,
 * and FLAT uses 1 elsewhere; its unit is the dimension's multiplier (1 Wh, 1 s).
 */
export const priceComponentSchema = z.strictObject({
  type: tariffDimensionTypeSchema,
  price: nonNegativeDecimal,
  step_size: nonNegativeInteger,
});
export type PriceComponent = z.infer<typeof priceComponentSchema>;

/**
 * 4.5. end_time may be earlier than start_time (a night tariff 22:00-06:00), so no
 * ordering check; end_date is exclusive.
 */
export const tariffRestrictionsSchema = z.strictObject({
  start_time: timeOfDay.optional(),
  end_time: timeOfDay.optional(),
  start_date: localDate.optional(),
  end_date: localDate.optional(),
  min_kwh: nonNegativeDecimal.optional(),
  max_kwh: nonNegativeDecimal.optional(),
  min_power: nonNegativeDecimal.optional(),
  max_power: nonNegativeDecimal.optional(),
  min_duration: nonNegativeInteger.optional(),
  max_duration: nonNegativeInteger.optional(),
  day_of_week: z.array(dayOfWeekSchema).optional(),
});
export type TariffRestrictions = z.infer<typeof tariffRestrictionsSchema>;

/** 4.3 */
export const tariffElementSchema = z.strictObject({
  price_components: z.array(priceComponentSchema).min(1, { error: 'must hold at least one price component' }),
  restrictions: tariffRestrictionsSchema.optional(),
});
export type TariffElement = z.infer<typeof tariffElementSchema>;

/** 3.1 */
export const tariffSchema = z.strictObject({
  id: ocpiId(36),
  currency: currencyCode,
  tariff_alt_text: z.array(displayTextSchema).optional(),
  tariff_alt_url: ocpiUrl.optional(),
  elements: z.array(tariffElementSchema).min(1, { error: 'must hold at least one tariff element' }),
  energy_mix: energyMixSchema.optional(),
  last_updated: ocpiDateTime,
});
export type Tariff = z.infer<typeof tariffSchema>;
