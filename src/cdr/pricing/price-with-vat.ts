/**
 * An OCPI 2.2.1 Price from an amount excluding VAT and the session's VAT rate:
 * incl_vat = excl_vat x (1 + vat / 100), computed exactly and rounded once, half away from
 * zero, to 4 decimals. Four because that is the precision of an OCPI number (types.asciidoc,
 * number) and of every amount the pricing gives; not to the cent, because the spec's own
 * tariff examples carry incl. VAT amounts like 2.875 and rounding for an invoice is the
 * eMSP's business. Half away from zero keeps the incl_vat of a negated amount the negation
 * of its incl_vat. Without a rate, only excl_vat is given: the VAT is unknown, not 0%.
 */
import type { Price } from '../../ocpi/v221/price';
import { divideRounded, fromE4, toE4 } from '../decimal';

// 100 % in 1e-4 units of a percentage.
const HUNDRED_PERCENT_E4 = 1_000_000n;

export function priceWithVat(exclVat: number, vatPercentage: number | undefined): Price {
  if (vatPercentage === undefined) return { excl_vat: exclVat };
  const inclE4 = divideRounded(toE4(exclVat) * (HUNDRED_PERCENT_E4 + toE4(vatPercentage)), HUNDRED_PERCENT_E4);
  return { excl_vat: exclVat, incl_vat: fromE4(inclE4) };
}
