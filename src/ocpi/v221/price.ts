/**
 * OCPI 2.2.1 Price (types.asciidoc, Price class): an amount excluding VAT and, when the VAT
 * is known, including it. Signed, because a credit CDR carries the negated total_cost of the
 * CDR it credits (mod_cdrs.asciidoc, Credit CDRs); amounts that are never negative use
 * nonNegativePriceSchema.
 */
import { z } from 'zod';
import { nonNegativeDecimal, ocpiDecimal } from '../primitives';

export const priceSchema = z.strictObject({
  excl_vat: ocpiDecimal,
  incl_vat: ocpiDecimal.optional(),
});
export type Price = z.infer<typeof priceSchema>;

export const nonNegativePriceSchema = z.strictObject({
  excl_vat: nonNegativeDecimal,
  incl_vat: nonNegativeDecimal.optional(),
});
