/**
 * total_cost must be the price of the CDR's own charging periods under its own tariff
 * (see price-cdr.ts), within rounding. This is also how a backend total that disagrees
 * with the tariff is caught: the builder keeps the backend's number (cdr-total-cost.ts)
 * and this rule refuses it, naming both amounts.
 */
import type { Cdr } from '../../ocpi/v211/cdr';
import { TOTAL_COST_TOLERANCE, withinTolerance } from '../pricing/cdr-total-cost';
import { priceCdr } from '../pricing/price-cdr';

export function priceRuleErrors(cdr: Cdr): string[] {
  const currencyErrors = (cdr.tariffs ?? []).flatMap((tariff, index) =>
    tariff.currency === cdr.currency ? [] : [`tariffs[${index}].currency: must equal the CDR currency ${cdr.currency}`],
  );
  if (currencyErrors.length > 0) return currencyErrors;

  const pricing = priceCdr(cdr);
  if (pricing.status === 'unpriceable') return pricing.errors;
  if (pricing.status === 'no_tariff' || withinTolerance(cdr.total_cost, pricing.price.total)) return [];
  return [
    `total_cost: ${cdr.total_cost} ${cdr.currency} is not the price of charging_periods under tariff ` +
      `${JSON.stringify(pricing.tariff.id)} (${pricing.price.total} ${cdr.currency}); ` +
      `a difference beyond ${TOTAL_COST_TOLERANCE} is not rounding: fix the tariff or the backend's session.total_cost`,
  ];
}
