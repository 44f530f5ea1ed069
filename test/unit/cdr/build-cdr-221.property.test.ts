/** Invariants of the OCPI 2.2.1 translation over random sessions, tariffs, tokens and VAT rates. */
import fc from 'fast-check';
import { buildCdr221WithPricing } from '../../../src/cdr/build/build-cdr-221';
import { creditCdrFor } from '../../../src/cdr/build/credit-cdr';
import { toE4 } from '../../../src/cdr/decimal';
import type { SessionEnded } from '../../../src/cdr/session/session-ended';
import { validateCdr221 } from '../../../src/cdr/validate/validate-cdr-221';
import { cdr221Schema } from '../../../src/ocpi/v221/cdr';
import { sessionEndedArb } from './arbitraries';
import { NOW } from './fixtures';

const RUNS = { numRuns: 300 };

// VAT rates with up to 4 decimals, or none.
// 2.2.1 requires the rate (0 where no VAT applies).
const vatArb = fc.integer({ min: 0, max: 1_000_000 }).map((e4) => e4 / 10_000);
const input221Arb: fc.Arbitrary<SessionEnded> = fc.tuple(sessionEndedArb, vatArb).map(([input, vat]) => ({
  ...input,
  cdr_token: { country_code: 'FR', party_id: 'GIR', uid: '04A1B2C3D4E5F6', type: 'RFID' },
  vat_percentage: vat,
}));

it("builds a 2.2.1 CDR that validation accepts, with the 2.1.1 CDR's totals, for any well-formed session", () => {
  fc.assert(
    fc.property(input221Arb, (input) => {
      const built = buildCdr221WithPricing(input, NOW);
      const validation = validateCdr221(built);
      expect(validation.valid ? [] : validation.errors).toEqual([]);
      const { cdr, source } = built;
      expect([cdr.id, cdr.total_cost.excl_vat, cdr.total_energy, cdr.total_time]).toEqual([
        source.cdr.id,
        source.cdr.total_cost,
        source.cdr.total_energy,
        source.cdr.total_time,
      ]);
    }),
    RUNS,
  );
});

it('gives sub-totals that add up to total_cost, within the rounding of the pricing lines', () => {
  fc.assert(
    fc.property(input221Arb, (input) => {
      const { cdr, source } = buildCdr221WithPricing(input, NOW);
      const lines = source.pricing.status === 'priced' ? source.pricing.price.lines.length : 0;
      const subTotals = [cdr.total_fixed_cost, cdr.total_energy_cost, cdr.total_time_cost, cdr.total_parking_cost];
      if (subTotals.every((price) => price === undefined)) return;
      const sumE4 = subTotals.reduce((sum, price) => sum + (price ? toE4(price.excl_vat) : 0n), 0n);
      const gap = sumE4 - toE4(cdr.total_cost.excl_vat);
      expect(gap <= BigInt(lines) && gap >= -BigInt(lines)).toBe(true);
    }),
    RUNS,
  );
});

it('gives incl_vat, never below excl_vat', () => {
  fc.assert(
    fc.property(input221Arb, (input) => {
      const { cdr } = buildCdr221WithPricing(input, NOW);
      expect(cdr.total_cost.incl_vat).toBeDefined();
      expect(cdr.total_cost.incl_vat).toBeGreaterThanOrEqual(cdr.total_cost.excl_vat);
    }),
    RUNS,
  );
});

it('credits any CDR it builds with a valid credit CDR', () => {
  fc.assert(
    fc.property(input221Arb, (input) => {
      const { cdr } = buildCdr221WithPricing(input, NOW);
      const parsed = cdr221Schema.safeParse(creditCdrFor(cdr, NOW));
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    }),
    RUNS,
  );
});
