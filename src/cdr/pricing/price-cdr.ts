/**
 * Prices a CDR from what it carries: its tariffs, the connector's tariff_id, the
 * Location's time zone and its charging periods. The builder calls it on its draft to
 * fill total_cost; the validator calls it again to check total_cost, so both always
 * agree, and the CDR holds everything an eMSP needs to redo the computation.
 */
import type { Cdr } from '../../ocpi/v211/cdr';
import type { Tariff } from '../../ocpi/v211/tariff';
import { isKnownTimeZone } from '../../ocpi/time-zone';
import { pricedPeriodsOf } from './priced-period';
import { priceSession, type SessionPrice } from './price-session';
import { selectTariff } from './select-tariff';
import { usesLocalTime } from './tariff-restrictions';

export type CdrPricing =
  | { status: 'priced'; tariff: Tariff; tariffIndex: number; price: SessionPrice }
  /** No tariff given: the backend's own total_cost is all there is. */
  | { status: 'no_tariff' }
  | { status: 'unpriceable'; errors: string[] };

export type PriceableCdr = Pick<Cdr, 'tariffs' | 'location' | 'charging_periods' | 'start_date_time' | 'stop_date_time'>;

export function priceCdr(cdr: PriceableCdr): CdrPricing {
  const tariffs = cdr.tariffs ?? [];
  if (tariffs.length === 0) return { status: 'no_tariff' };
  const choice = selectTariff(tariffs, cdr.location.evses[0].connectors[0].tariff_id);
  if (!choice.found) return { status: 'unpriceable', errors: [choice.error] };

  const timeZone = cdr.location.time_zone;
  const localElement = choice.tariff.elements.findIndex((element) => usesLocalTime(element.restrictions));
  if (localElement >= 0) {
    const restrictions = `tariffs[${choice.index}].elements[${localElement}].restrictions`;
    if (timeZone === undefined) {
      return { status: 'unpriceable', errors: [`location.time_zone: is required to read ${restrictions} in local time`] };
    }
    if (!isKnownTimeZone(timeZone)) {
      return { status: 'unpriceable', errors: [`location.time_zone: must be a known IANA time zone to read ${restrictions}`] };
    }
  }
  const price = priceSession(pricedPeriodsOf(cdr), {
    tariff: choice.tariff,
    sessionStart: Date.parse(cdr.start_date_time),
    timeZone,
  });
  return { status: 'priced', tariff: choice.tariff, tariffIndex: choice.index, price };
}
