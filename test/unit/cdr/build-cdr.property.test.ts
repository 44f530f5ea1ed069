/** Invariants of the builder over random sessions, tariffs and out-of-order intervals. */
import fc from 'fast-check';
import { buildCdr, buildCdrWithPricing } from '../../../src/cdr/build/build-cdr';
import { toE4 } from '../../../src/cdr/decimal';
import { volumeE4 } from '../../../src/cdr/pricing/priced-period';
import { validateCdr } from '../../../src/cdr/validate/validate-cdr';
import { cdrSchema } from '../../../src/ocpi/v211/cdr';
import { sessionEndedArb } from './arbitraries';
import { NOW } from './fixtures';

const RUNS = { numRuns: 300 };

it('builds a CDR that validation accepts, for any well-formed session', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      const validation = validateCdr(buildCdr(input, NOW));
      expect(validation.valid ? [] : validation.errors).toEqual([]);
    }),
    RUNS,
  );
});

it('never makes total_time exceed stop_date_time - start_date_time', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      const cdr = buildCdr(input, NOW);
      const sessionHours = (Date.parse(cdr.stop_date_time) - Date.parse(cdr.start_date_time)) / 3_600_000;
      expect(cdr.total_time).toBeLessThanOrEqual(sessionHours + 0.00005);
      expect(cdr.total_parking_time ?? 0).toBeLessThanOrEqual(cdr.total_time);
    }),
    RUNS,
  );
});

it('never makes a cost negative or longer than 4 decimals', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      const { total_cost } = buildCdr(input, NOW);
      expect(total_cost).toBeGreaterThanOrEqual(0);
      expect(Number(total_cost.toFixed(4))).toBe(total_cost);
    }),
    RUNS,
  );
});

it('builds the same CDR every time from the same session', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      expect(buildCdr(structuredClone(input), NOW)).toEqual(buildCdr(input, NOW));
    }),
    RUNS,
  );
});

it('survives parse -> JSON -> parse unchanged', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      const cdr = buildCdr(input, NOW);
      const once = cdrSchema.parse(cdr);
      expect(cdrSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
      expect(once).toEqual(cdr);
    }),
    RUNS,
  );
});

it('makes the periods add up to the totals exactly', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      const cdr = buildCdr(input, NOW);
      const sum = (type: 'ENERGY' | 'TIME' | 'PARKING_TIME') =>
        cdr.charging_periods.reduce((total, period) => total + volumeE4(period, type), 0n);
      expect(sum('TIME') + sum('PARKING_TIME')).toBe(toE4(cdr.total_time));
      expect(sum('PARKING_TIME')).toBe(toE4(cdr.total_parking_time ?? 0));
      expect(sum('ENERGY')).toBe(toE4(cdr.total_energy));
    }),
    RUNS,
  );
});

it('explains the total: the priced lines add up to it, within display rounding', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      const { cdr, pricing } = buildCdrWithPricing(input, NOW);
      if (pricing.status !== 'priced') return;
      const lines = pricing.price.lines.reduce((sum, line) => sum + toE4(line.cost), 0n);
      const difference = lines - toE4(cdr.total_cost);
      expect(difference < 0n ? -difference : difference).toBeLessThanOrEqual(BigInt(pricing.price.lines.length));
    }),
    RUNS,
  );
});

it('charges nothing for a session out of order from start to stop (which can deliver no energy)', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      if (input.tariffs.length === 0) return;
      const broken = structuredClone({
        ...input,
        out_of_order: [{ start: input.session.start_datetime, end: input.session.end_datetime! }],
      });
      broken.session.kwh = 0;
      for (const period of broken.session.charging_periods ?? []) period.dimensions = [{ type: 'ENERGY', volume: 0 }];
      const cdr = buildCdr(broken, NOW);
      expect([cdr.total_cost, cdr.total_time, cdr.total_parking_time]).toEqual([0, 0, 0]);
    }),
    RUNS,
  );
});

it('refuses to build a session out of order from start to stop that metered energy', () => {
  fc.assert(
    fc.property(sessionEndedArb, (input) => {
      if (input.session.kwh === 0) return;
      const broken = { ...input, out_of_order: [{ start: input.session.start_datetime, end: input.session.end_datetime! }] };
      expect(() => buildCdr(broken, NOW)).toThrow(/metered while the EVSE was out of order/);
    }),
    RUNS,
  );
});
