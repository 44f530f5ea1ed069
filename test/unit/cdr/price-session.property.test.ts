/** Invariants of tariff pricing over random tariffs, periods and time zones. */
import fc from 'fast-check';
import { buildCdr } from '../../../src/cdr/build/build-cdr';
import { fromE4, toE4 } from '../../../src/cdr/decimal';
import { localTimeAt } from '../../../src/cdr/local-time';
import { priceCdr } from '../../../src/cdr/pricing/price-cdr';
import { pricedPeriodsOf } from '../../../src/cdr/pricing/priced-period';
import { sliceForPricing } from '../../../src/cdr/pricing/price-slices';
import { restrictionsMatch } from '../../../src/cdr/pricing/tariff-restrictions';
import type { Cdr } from '../../../src/ocpi/v211/cdr';
import { sessionEndedArb, timeZoneArb } from './arbitraries';
import { NOW } from './fixtures';

const RUNS = { numRuns: 300 };
const pricedSessionArb = sessionEndedArb.filter((input) => input.tariffs.length > 0);

function priceOf(cdr: Cdr): number {
  const pricing = priceCdr(cdr);
  if (pricing.status !== 'priced') throw new Error(`not priced: ${JSON.stringify(pricing)}`);
  return pricing.price.total;
}

it('never lowers a price by rounding to step_size', () => {
  fc.assert(
    fc.property(pricedSessionArb, (input) => {
      const cdr = buildCdr(input, NOW);
      const exact = structuredClone(cdr);
      for (const element of exact.tariffs![0]!.elements) for (const component of element.price_components) component.step_size = 0;
      expect(priceOf(cdr)).toBeGreaterThanOrEqual(priceOf(exact));
    }),
    RUNS,
  );
});

it('scales with the prices: doubling every price doubles the total, within rounding', () => {
  fc.assert(
    fc.property(pricedSessionArb, (input) => {
      const cdr = buildCdr(input, NOW);
      const doubled = structuredClone(cdr);
      for (const element of doubled.tariffs![0]!.elements) for (const component of element.price_components) component.price *= 2;
      const difference = toE4(priceOf(doubled)) - 2n * toE4(priceOf(cdr));
      expect(difference >= -1n && difference <= 1n).toBe(true);
    }),
    RUNS,
  );
});

it('cuts slices wherever a time-of-day, date, weekday or duration restriction could change', () => {
  fc.assert(
    fc.property(pricedSessionArb, fc.double({ min: 0, max: 1, noNaN: true }), (input, where) => {
      const cdr = buildCdr(input, NOW);
      const tariff = cdr.tariffs![0]!;
      const zone = cdr.location.time_zone!;
      const slices = sliceForPricing(pricedPeriodsOf(cdr), { tariff, sessionStart: Date.parse(cdr.start_date_time), timeZone: zone });
      for (const slice of slices) {
        const inside = slice.start + Math.floor(where * (slice.end - slice.start - 1));
        const later = { ...slice.context, local: localTimeAt(zone, inside), elapsedMs: inside - Date.parse(cdr.start_date_time) };
        for (const { restrictions } of tariff.elements) {
          expect(restrictionsMatch(restrictions, later)).toBe(
            restrictionsMatch(restrictions, { ...slice.context, local: localTimeAt(zone, slice.start) }),
          );
        }
      }
    }),
    RUNS,
  );
});

it('reads the same wall clock as Intl, in any zone', () => {
  fc.assert(
    fc.property(
      timeZoneArb,
      fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }),
      (zone, ms) => {
        const local = localTimeAt(zone, ms);
        const parts = new Intl.DateTimeFormat('en-CA', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
        }).formatToParts(new Date(ms));
        const part = (type: string) => parts.find((p) => p.type === type)?.value;
        expect(local.date).toBe(`${part('year')}-${part('month')}-${part('day')}`);
        expect(Math.floor(local.msOfDay / 60_000)).toBe(Number(part('hour')) * 60 + Number(part('minute')));
      },
    ),
    RUNS,
  );
});

it('reads and writes every 4-decimal number exactly', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e12, max: 1e12 }), (units) => {
      expect(toE4(fromE4(BigInt(units)))).toBe(BigInt(units));
    }),
  );
});
